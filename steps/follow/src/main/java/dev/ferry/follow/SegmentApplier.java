package dev.ferry.follow;

import dev.ferry.core.StepFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.postgresql.replication.LogSequenceNumber;

/**
 * Applies segments on the target, each in one target transaction that also records, through a replication origin,
 * the segment's end LSN as the target's progress: data and progress commit together, so a segment delivered again is
 * recognised and skipped, and a crash between the two is impossible. Segments must come in order; a gap is refused.
 * Statements are idempotent by key (an insert that meets its row updates it), unchanged TOAST columns are left out
 * of updates, and {@code session_replication_role = replica} keeps Onyx's triggers and foreign-key checks from firing
 * a second time. The segment holding the drain marker also sets the sequences the marker carries.
 */
public final class SegmentApplier implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SegmentApplier.class);

    /** What happened to a segment. */
    public enum Outcome {
        APPLIED,
        SKIPPED
    }

    private final Connection target;
    private final String origin;
    private LogSequenceNumber progress;
    private final Set<String> checkedRelations = new HashSet<>();

    private SegmentApplier(Connection target, String origin, LogSequenceNumber progress) {
        this.target = target;
        this.origin = origin;
        this.progress = progress;
    }

    /**
     * Binds {@code target} to the replication origin {@code origin} (created when missing) and reads its progress;
     * without any, the target holds the base copy, taken at the slot's {@code consistentPoint}.
     */
    public static SegmentApplier open(Connection target, String origin, LogSequenceNumber consistentPoint)
            throws SQLException {
        target.setAutoCommit(true);
        try (Statement sql = target.createStatement()) {
            sql.execute("SET session_replication_role = replica");
        }
        try (PreparedStatement sql = target.prepareStatement(
                "SELECT pg_replication_origin_create(?) WHERE pg_replication_origin_oid(?) IS NULL")) {
            sql.setString(1, origin);
            sql.setString(2, origin);
            sql.execute();
        }
        try (PreparedStatement sql = target.prepareStatement("SELECT pg_replication_origin_session_setup(?)")) {
            sql.setString(1, origin);
            sql.execute();
        }
        LogSequenceNumber progress = consistentPoint;
        try (PreparedStatement sql = target.prepareStatement("SELECT pg_replication_origin_progress(?, true)::text")) {
            sql.setString(1, origin);
            try (ResultSet rs = sql.executeQuery()) {
                if (rs.next() && rs.getString(1) != null) {
                    LogSequenceNumber recorded = LogSequenceNumber.valueOf(rs.getString(1));
                    if (recorded.asLong() != 0) {
                        progress = recorded;
                    }
                }
            }
        }
        target.setAutoCommit(false);
        LOG.infof("phase=apply origin=%s progress=%s", origin, progress.asString());
        return new SegmentApplier(target, origin, progress);
    }

    /** The end of the last segment applied (the base copy's consistent point before the first). */
    public LogSequenceNumber progress() {
        return progress;
    }

    /**
     * Whether a segment applies after {@code progress}: skipped when it ends at or before it (delivered again),
     * applied when it continues exactly from it, refused otherwise (one missing in between, or cut differently).
     */
    static Outcome decide(LogSequenceNumber progress, Segment segment) {
        if (segment.end().compareTo(progress) <= 0) {
            return Outcome.SKIPPED;
        }
        if (segment.previousEnd().equals(progress)) {
            return Outcome.APPLIED;
        }
        throw StepFailure.refused("segment " + segment.name() + " continues from "
                + segment.previousEnd().asString()
                + " but the target has applied up to " + progress.asString()
                + ": a segment in between is missing; apply segments in LSN order, none left out");
    }

    public Outcome apply(Segment segment) throws SQLException {
        if (decide(progress, segment) == Outcome.SKIPPED) {
            LOG.infof(
                    "phase=apply segment=%s skipped=already-applied progress=%s", segment.name(), progress.asString());
            return Outcome.SKIPPED;
        }
        boolean originSet = false;
        try {
            checkRelations(segment);
            try (Batches batches = new Batches(segment)) {
                for (CommittedTransaction transaction : segment.transactions()) {
                    for (Change change : transaction.changes()) {
                        batches.add(change);
                    }
                }
            }
            // The drain marker's sequences are set in the same transaction as the last changes and the progress.
            if (segment.marker().isPresent()) {
                MarkerSequences.set(
                        target, DrainMarker.parse(segment.marker().get()).sequences(), segment.name());
            }
            // Since PostgreSQL 16 an aborted transaction advances the session's origin too once xact_setup ran in it,
            // so a client lost mid-segment would leave progress past rows that were rolled back. Setting it up in the
            // same round trip as the COMMIT leaves no moment in which the transaction can end any other way.
            List<CommittedTransaction> transactions = segment.transactions();
            originSet = true;
            try (Statement sql = target.createStatement()) {
                sql.execute("SELECT pg_replication_origin_xact_setup('"
                        + segment.end().asString() + "'::pg_lsn, '"
                        + transactions.get(transactions.size() - 1).committedAt() + "'::timestamptz); COMMIT");
            }
        } catch (SQLException | RuntimeException e) {
            target.rollback();
            if (originSet) {
                putProgressBack();
            }
            throw e;
        }
        progress = segment.end();
        LOG.infof(
                "phase=apply segment=%s transactions=%d changes=%d progress=%s",
                segment.name(), segment.transactions().size(), segment.changes(), progress.asString());
        return Outcome.APPLIED;
    }

    /**
     * A commit that failed after the origin was set up advanced the origin all the same (an abort does, since
     * PostgreSQL 16): it is moved back to the last segment applied, which needs the session to let go of it.
     */
    private void putProgressBack() throws SQLException {
        target.setAutoCommit(true);
        try (Statement sql = target.createStatement()) {
            sql.execute("SELECT pg_replication_origin_session_reset()");
            try (PreparedStatement advance =
                    target.prepareStatement("SELECT pg_replication_origin_advance(?, ?::pg_lsn)")) {
                advance.setString(1, origin);
                advance.setString(2, progress.asString());
                advance.execute();
            }
            try (PreparedStatement setup = target.prepareStatement("SELECT pg_replication_origin_session_setup(?)")) {
                setup.setString(1, origin);
                setup.execute();
            }
        } finally {
            target.setAutoCommit(false);
        }
    }

    /** A table missing on the target, or missing a column, stops apply naming it: never apply past it. */
    private void checkRelations(Segment segment) throws SQLException {
        for (RelationDef relation : segment.relations().values()) {
            String shape = relation.qualifiedName() + relation.columns();
            if (checkedRelations.contains(shape)) {
                continue;
            }
            Set<String> columns = new HashSet<>();
            try (PreparedStatement sql =
                    target.prepareStatement("SELECT a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                            + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                            + " WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped")) {
                sql.setString(1, relation.schema());
                sql.setString(2, relation.table());
                try (ResultSet rs = sql.executeQuery()) {
                    while (rs.next()) {
                        columns.add(rs.getString(1));
                    }
                }
            }
            if (columns.isEmpty()) {
                throw StepFailure.refused("relation " + relation.qualifiedName() + " does not exist on the target:"
                        + " it was created on the source during the follow (a new tenant's schema?), and a follow"
                        + " carries rows, not tables; segment " + segment.name() + " and everything after it are not"
                        + " applied. Start the follow again from a new base copy (abandon this one), and pause"
                        + " tenant provisioning on the old cluster until the cutover");
            }
            List<String> missing = relation.columns().stream()
                    .filter(c -> !columns.contains(c))
                    .toList();
            if (!missing.isEmpty()) {
                throw StepFailure.refused("relation " + relation.qualifiedName() + " on the target lacks column(s) "
                        + missing + " that the source sends (DDL during the follow?): segment " + segment.name()
                        + " is not applied; a follow cannot go past it");
            }
            if (relation.key().isEmpty()) {
                throw StepFailure.refused("relation " + relation.qualifiedName()
                        + " has no key in its replica identity: its changes cannot be applied by key");
            }
            checkedRelations.add(shape);
        }
    }

    /**
     * Consecutive changes of one statement shape go to the server as one JDBC batch; a change of shape sends the
     * batch first, so the target sees the changes in the source's order.
     */
    private final class Batches implements AutoCloseable {
        private final Segment segment;
        private final Map<String, PreparedStatement> statements = new HashMap<>();
        private PreparedStatement pending;
        private String pendingShape;
        private final List<Change> pendingChanges = new ArrayList<>();

        Batches(Segment segment) {
            this.segment = segment;
        }

        void add(Change change) throws SQLException {
            if (change instanceof Change.Truncate truncate) {
                flush();
                truncate(truncate);
                return;
            }
            RelationDef relation = segment.relations().get(change.relation());
            String shape;
            List<String> parameters;
            if (change instanceof Change.Insert insert) {
                shape = "I" + relation.oid();
                parameters = insert.values();
            } else if (change instanceof Change.Update update) {
                shape = "U" + relation.oid() + update.unchanged();
                parameters = new ArrayList<>();
                for (int i = 0; i < relation.columns().size(); i++) {
                    if (!update.unchanged().contains(i)) {
                        parameters.add(update.values().get(i));
                    }
                }
                parameters.addAll(update.oldKey() != null ? update.oldKey() : keyOf(relation, update.values()));
            } else {
                shape = "D" + relation.oid();
                parameters = ((Change.Delete) change).key();
            }
            if (!shape.equals(pendingShape)) {
                flush();
                pendingShape = shape;
                pending = statements.computeIfAbsent(shape, s -> prepare(relation, change));
            }
            for (int i = 0; i < parameters.size(); i++) {
                if (parameters.get(i) == null) {
                    pending.setNull(i + 1, Types.OTHER);
                } else {
                    pending.setObject(i + 1, parameters.get(i), Types.OTHER);
                }
            }
            pending.addBatch();
            pendingChanges.add(change);
        }

        private PreparedStatement prepare(RelationDef relation, Change change) {
            try {
                return target.prepareStatement(StatementText.of(relation, change));
            } catch (SQLException e) {
                throw new IllegalStateException("cannot prepare a statement for " + relation.qualifiedName(), e);
            }
        }

        private void flush() throws SQLException {
            if (pending == null || pendingChanges.isEmpty()) {
                return;
            }
            int[] counts = pending.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (pendingChanges.get(i) instanceof Change.Update update && counts[i] == 0) {
                    RelationDef relation = segment.relations().get(update.relation());
                    throw StepFailure.verificationFailed("row "
                            + (update.oldKey() != null ? update.oldKey() : keyOf(relation, update.values()))
                            + " of " + relation.qualifiedName() + " is not on the target, so its update from segment "
                            + segment.name() + " cannot be applied: the target has diverged from the source");
                }
            }
            pendingChanges.clear();
        }

        private void truncate(Change.Truncate truncate) throws SQLException {
            String tables = truncate.relations().stream()
                    .map(oid -> segment.relations().get(oid))
                    .map(StatementText::table)
                    .collect(Collectors.joining(", "));
            try (Statement sql = target.createStatement()) {
                sql.execute("TRUNCATE ONLY " + tables + (truncate.restartIdentity() ? " RESTART IDENTITY" : "")
                        + (truncate.cascade() ? " CASCADE" : ""));
            }
        }

        @Override
        public void close() throws SQLException {
            try {
                flush();
            } finally {
                for (PreparedStatement statement : statements.values()) {
                    statement.close();
                }
            }
        }
    }

    static List<String> keyOf(RelationDef relation, List<String> row) {
        List<String> key = new ArrayList<>(relation.key().size());
        for (int column : relation.key()) {
            key.add(row.get(column));
        }
        return key;
    }

    @Override
    public void close() throws SQLException {
        try (Statement sql = target.createStatement()) {
            target.setAutoCommit(true);
            sql.execute("SELECT pg_replication_origin_session_reset()");
        }
    }
}
