package dev.ferry.follow;

import dev.ferry.core.StepFailure;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

/**
 * Reads the slot's pgoutput stream and stores what the source committed as segments, cut at commit boundaries by
 * size or age. The slot's flush position is confirmed only after a segment is stored ({@code withAutomaticFlush
 * (false)}: pgjdbc would otherwise confirm what it received on its own keepalives), so a crash loses nothing: the slot
 * sends again everything after the last stored segment, and what is already stored is recognised and left out.
 */
public final class Capture {

    /** The prefix of the logical messages capture acts on; {@code pg_logical_emit_message} writes them. */
    public static final String MARKER_PREFIX = "ferry-follow";

    private static final Logger LOG = Logger.getLogger(Capture.class);
    private static final long IDLE_POLL_MILLIS = 10;

    /** When to cut a segment: whichever limit is reached first, always at a commit. */
    public record Limits(int maxChanges, long maxBytes, Duration maxAge) {}

    /** What a run did; {@code marker} is the drain marker's label when it ended at one. */
    public record Result(
            int segments, long transactions, long changes, LogSequenceNumber storedUpTo, Optional<String> marker) {}

    private final Connection replication;
    private final String slot;
    private final String publication;
    private final SegmentStore store;
    private final Limits limits;
    private final PgOutputDecoder decoder = new PgOutputDecoder();
    private final Map<Integer, RelationDef> described = new HashMap<>();

    private volatile LogSequenceNumber previousEnd;
    private volatile int storedSegments;
    private final List<CommittedTransaction> open = new ArrayList<>();
    private final Map<Integer, RelationDef> openRelations = new LinkedHashMap<>();
    private long openChanges;
    private long openBytes;
    private Instant openedAt;

    private int segments;
    private long transactions;
    private long changes;
    private Consumer<Segment> stored = segment -> {};

    /**
     * A capture that continues after the newest segment in {@code store}, or from the slot's {@code consistentPoint}
     * when there is none yet.
     */
    public Capture(
            Connection replication,
            String slot,
            String publication,
            SegmentStore store,
            LogSequenceNumber consistentPoint,
            Limits limits) {
        this.replication = replication;
        this.slot = slot;
        this.publication = publication;
        this.store = store;
        this.limits = limits;
        this.previousEnd = store.lastEnd().orElse(consistentPoint);
    }

    /**
     * Hands each segment to {@code listener} once it is stored and the slot confirmed, on the streaming thread: what
     * the segments touched, kept as capture goes, without decoding them again.
     */
    public Capture whenStored(Consumer<Segment> listener) {
        this.stored = listener;
        return this;
    }

    /** The end of the newest stored segment (the slot's flush position is confirmed up to it): read from any thread. */
    public LogSequenceNumber storedUpTo() {
        return previousEnd;
    }

    /** Segments this capture stored so far: read from any thread. */
    public int storedSegments() {
        return storedSegments;
    }

    /**
     * Streams until {@code stop} says so (storing the complete transactions it holds first) or until it has stored the
     * segment that ends with a drain marker.
     */
    public Result run(BooleanSupplier stop) throws SQLException, InterruptedException {
        LOG.infof("phase=capture slot=%s from=%s store=%s", slot, previousEnd.asString(), store);
        try {
            return stream(stop);
        } catch (SQLException e) {
            if (invalidated(e)) {
                throw StepFailure.refused("replication slot \"" + slot + "\" was invalidated: it lagged further than"
                        + " max_slot_wal_keep_size and the source removed WAL it still needed, so the changes after "
                        + previousEnd.asString() + " cannot be read any more; drop the slot and start the follow again"
                        + " from a new base copy (the source said: " + oneLine(e.getMessage()) + ")");
            }
            throw e;
        }
    }

    /** PostgreSQL's words for a slot the WAL cap invalidated (13+), before or while streaming. */
    static boolean invalidated(SQLException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("has been invalidated")
                || (message.contains("requested WAL segment") && message.contains("has already been removed"));
    }

    /** The server's message with its detail, on one line. */
    private static String oneLine(String message) {
        return String.valueOf(message).strip().replaceAll("\\s*\\n\\s*", "; ");
    }

    private Result stream(BooleanSupplier stop) throws SQLException, InterruptedException {
        try (PGReplicationStream stream = replication
                .unwrap(PGConnection.class)
                .getReplicationAPI()
                .replicationStream()
                .logical()
                .withSlotName(slot)
                .withStartPosition(previousEnd)
                .withSlotOption("proto_version", "1")
                .withSlotOption("publication_names", publication)
                .withSlotOption("messages", "true")
                .withStatusInterval(10, TimeUnit.SECONDS)
                .withAutomaticFlush(false)
                .start()) {
            Transaction current = null;
            while (true) {
                if (stop.getAsBoolean()) {
                    cut(stream, Optional.empty());
                    return result(Optional.empty());
                }
                ByteBuffer message = stream.readPending();
                if (message == null) {
                    if (!open.isEmpty()
                            && Duration.between(openedAt, Instant.now()).compareTo(limits.maxAge()) >= 0) {
                        cut(stream, Optional.empty());
                    }
                    TimeUnit.MILLISECONDS.sleep(IDLE_POLL_MILLIS);
                    continue;
                }
                PgOutputDecoder.Message decoded = decoder.decode(message);
                if (decoded instanceof PgOutputDecoder.Begin begin) {
                    current = new Transaction(begin);
                } else if (decoded instanceof PgOutputDecoder.Relation relation) {
                    requireOpen(current).noteSchemaChange(changedShape(relation.definition()));
                } else if (decoded instanceof PgOutputDecoder.Row row) {
                    requireOpen(current).add(row.change());
                } else if (decoded instanceof PgOutputDecoder.LogicalMessage logical
                        && MARKER_PREFIX.equals(logical.prefix())
                        && current != null) {
                    current.marker = logical.content();
                } else if (decoded instanceof PgOutputDecoder.Commit commit) {
                    Transaction done = requireOpen(current);
                    current = null;
                    CommittedTransaction committed = done.finish(commit);
                    if (committed.end().compareTo(previousEnd) <= 0) {
                        continue; // stored before a crash that came before its confirmation
                    }
                    // Refused at its commit, so that an upgrade is named as one, not as the first table it altered.
                    Optional<StepFailure> upgrade = AlembicUpgrade.refusalOf(committed, decoder::relation);
                    if (upgrade.isPresent()) {
                        throw upgrade.get();
                    }
                    if (done.schemaChange != null) {
                        throw done.schemaChange;
                    }
                    add(committed);
                    if (done.marker != null) {
                        cut(stream, Optional.of(done.marker));
                        return result(Optional.of(DrainMarker.parse(done.marker).label()));
                    }
                    if (openChanges >= limits.maxChanges()
                            || openBytes >= limits.maxBytes()
                            || Duration.between(openedAt, Instant.now()).compareTo(limits.maxAge()) >= 0) {
                        cut(stream, Optional.empty());
                    }
                }
            }
        }
    }

    private Result result(Optional<String> marker) {
        return new Result(segments, transactions, changes, previousEnd, marker);
    }

    /**
     * A relation whose columns or key change while followed is DDL on the source: its changes could not be applied
     * as they are, so capture stops at the transaction's commit, naming it, and never goes on past it.
     */
    private StepFailure changedShape(RelationDef definition) {
        RelationDef before = described.put(definition.oid(), definition);
        if (before == null || before.sameShapeAs(definition)) {
            return null;
        }
        return StepFailure.refused("relation " + before.qualifiedName() + " changed while followed (DDL on the"
                + " source): columns " + before.columns() + " key " + before.key() + " became "
                + definition.qualifiedName() + " " + definition.columns() + " key " + definition.key()
                + "; a follow cannot go past a schema change: start it again from a new base copy");
    }

    private void add(CommittedTransaction committed) {
        if (open.isEmpty()) {
            openedAt = Instant.now();
        }
        open.add(committed);
        for (Change change : committed.changes()) {
            if (change instanceof Change.Truncate truncate) {
                truncate.relations().forEach(oid -> openRelations.putIfAbsent(oid, decoder.relation(oid)));
            } else {
                openRelations.putIfAbsent(change.relation(), decoder.relation(change.relation()));
            }
            openBytes += approximateBytes(change);
        }
        openChanges += committed.changes().size();
    }

    /** Stores the complete transactions held, then (only then) confirms the slot's flush position up to them. */
    private void cut(PGReplicationStream stream, Optional<String> marker) throws SQLException {
        if (open.isEmpty()) {
            return;
        }
        CommittedTransaction last = open.get(open.size() - 1);
        Segment segment =
                new Segment(slot, previousEnd, last.end(), Instant.now(), marker, openRelations, List.copyOf(open));
        byte[] bytes = SegmentCodec.encode(segment);
        store.put(segment.name(), bytes);
        stream.setFlushedLSN(segment.end());
        stream.setAppliedLSN(segment.end());
        stream.forceUpdateStatus();
        segments++;
        transactions += segment.transactions().size();
        changes += segment.changes();
        LOG.infof(
                "phase=segment name=%s transactions=%d changes=%d bytes=%d end=%s%s",
                segment.name(),
                segment.transactions().size(),
                segment.changes(),
                bytes.length,
                segment.end().asString(),
                marker.map(m -> " marker=" + DrainMarker.parse(m).label()).orElse(""));
        previousEnd = segment.end();
        storedSegments = segments;
        stored.accept(segment);
        open.clear();
        openRelations.clear();
        openChanges = 0;
        openBytes = 0;
    }

    private static long approximateBytes(Change change) {
        List<String> values = change instanceof Change.Insert insert
                ? insert.values()
                : change instanceof Change.Update update ? update.values() : List.of();
        long bytes = 16;
        for (String value : values) {
            bytes += value == null ? 1 : value.length();
        }
        return bytes;
    }

    private static Transaction requireOpen(Transaction current) {
        if (current == null) {
            throw new IllegalStateException("pgoutput sent a change or commit outside a transaction");
        }
        return current;
    }

    /** A transaction being received: its changes until its commit arrives. */
    private static final class Transaction {
        private final PgOutputDecoder.Begin begin;
        private final List<Change> changes = new ArrayList<>();
        private String marker;
        private StepFailure schemaChange;

        Transaction(PgOutputDecoder.Begin begin) {
            this.begin = begin;
        }

        void add(Change change) {
            changes.add(change);
        }

        /** The first relation this transaction changed the shape of, refused at its commit. */
        void noteSchemaChange(StepFailure refusal) {
            if (schemaChange == null) {
                schemaChange = refusal;
            }
        }

        CommittedTransaction finish(PgOutputDecoder.Commit commit) {
            return new CommittedTransaction(begin.xid(), commit.commit(), commit.end(), commit.committedAt(), changes);
        }
    }
}
