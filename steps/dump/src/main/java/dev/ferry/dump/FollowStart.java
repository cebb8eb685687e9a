package dev.ferry.dump;

import dev.ferry.core.StepFailure;
import dev.ferry.core.StepStop;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.follow.FollowPublication;
import dev.ferry.follow.FollowSlot;
import dev.ferry.follow.ReplicaIdentities;
import dev.ferry.follow.TableKeys;
import dev.ferry.pg.PgConnector;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

/**
 * The follow a dump in follow mode starts on the source, before it dumps: the replica identities, the publication
 * and its record (one transaction), then the logical slot created with its snapshot exported, which the dump and the
 * inventory read while the slot's replication connection stays idle. Until the manifest is written, any failure (and
 * SIGTERM) removes what this run created and puts the replica identities back: nothing is left to fill the source's
 * disk, and a rerun starts clean.
 */
final class FollowStart {

    private static final Logger LOG = Logger.getLogger(FollowStart.class);
    private static final int TABLES_NAMED = 5;

    private final PgConnector connector;
    private final DumpConfig config;
    private final StepStop.Registration onStop;
    /** This run's sessions reading the slot's snapshot: their table locks would keep the replica identities set. */
    private final List<Connection> sessions = new java.util.concurrent.CopyOnWriteArrayList<>();

    private List<ReplicaIdentities.Changed> changed = List.of();
    private boolean publicationCreated;
    private Connection replication;
    private int walSenderPid;
    private FollowSlot.Created slot;
    private boolean undone;

    private FollowStart(PgConnector connector, DumpConfig config) {
        this.connector = connector;
        this.config = config;
        // The JVM runs no finally block on SIGTERM: a run stopped mid-dump must not leave a slot behind either.
        this.onStop = StepStop.onStop(this::undo);
    }

    /**
     * Checks, before anything changes, that the source can follow (wal_level, the role's REPLICATION, a key on every
     * table, no slot or publication of those names), then creates the follow; {@code source} is the dump's session.
     */
    static FollowStart begin(Connection source, PgConnector connector, SourceServer server, DumpConfig config)
            throws SQLException, InterruptedException {
        checkWalLevel(source);
        checkReplicationRight(source, server, connector.endpoint().user());
        List<TableKeys.TableKey> keys = TableKeys.read(source);
        refuseUnkeyed(keys);
        refuseExisting(source, config);
        FollowStart follow = new FollowStart(connector, config);
        follow.sessions.add(source);
        try {
            follow.createPublication(
                    source,
                    keys,
                    server.superuser()
                            ? FollowPublication.Scope.ALL_TABLES
                            : FollowPublication.Scope.TABLES_NOW_PRESENT);
            follow.createSlot(source);
            return follow;
        } catch (SQLException | RuntimeException | InterruptedException e) {
            follow.undo();
            throw e;
        }
    }

    /** A session for the inventory, closed by {@link #undo} if the run fails while it still reads. */
    Connection openSession() {
        Connection session = connector.open();
        sessions.add(session);
        return session;
    }

    /** The snapshot the slot exported: the dump and the inventory read the database as it shows it. */
    String snapshotId() {
        return slot.snapshot();
    }

    /** The follow as the manifest records it. */
    Manifest.Follow record() {
        return new Manifest.Follow(
                slot.slot(),
                config.followPublication(),
                slot.consistentPoint().asString(),
                slot.snapshot(),
                changed.stream()
                        .map(c -> new Manifest.ReplicaIdentity(c.table(), c.index(), c.before()))
                        .toList());
    }

    /**
     * Once pg_dump and the inventory have read the snapshot: closes the slot's replication connection, which ends the
     * exported snapshot. The slot stays, and from here holds every later change for capture.
     */
    void snapshotRead() {
        closeReplication();
    }

    /** The run succeeded (its manifest names the follow): from here the follow is cutover's or abandon's to end. */
    void kept() {
        onStop.close();
        LOG.infof(
                "phase=follow slot=%s publication=%s consistent_point=%s outcome=following",
                slot.slot(), config.followPublication(), slot.consistentPoint().asString());
    }

    /**
     * Removes what this run created (the slot, the publication) and puts back the replica identities it changed, each
     * on its own so one failure does not keep the others; never anything another follow made.
     */
    synchronized void undo() {
        if (undone) {
            return;
        }
        undone = true;
        onStop.close();
        closeReplication();
        sessions.forEach(FollowStart::closeQuietly);
        if (slot == null && !publicationCreated) {
            return;
        }
        boolean removed = true;
        try (Connection source = connector.open()) {
            if (slot != null) {
                removed &= attempt("drop the slot " + slot.slot(), () -> {
                    FollowSlot.release(source, slot.slot(), walSenderPid);
                    FollowSlot.dropSlot(source, slot.slot());
                });
            }
            if (publicationCreated) {
                removed &= attempt("drop the publication " + config.followPublication(), () -> {
                    FollowSlot.dropPublication(source, config.followPublication());
                    ReplicaIdentities.restore(source, changed);
                });
            }
        } catch (SQLException | RuntimeException e) {
            LOG.errorf("phase=follow-undo outcome=failed error=\"%s\"", e.getMessage());
            removed = false;
        }
        if (!removed) {
            LOG.errorf(
                    "phase=follow-undo note=\"drop the slot %s and the publication %s by hand (or run"
                            + " ferry-follow-abandon): they keep WAL on the source\"",
                    config.followSlot(), config.followPublication());
            return;
        }
        LOG.infof(
                "phase=follow-undo slot=%s publication=%s replica_identities_restored=%d outcome=removed",
                slot == null ? "none" : slot.slot(),
                publicationCreated ? config.followPublication() : "none",
                publicationCreated ? changed.size() : 0);
    }

    private void createPublication(Connection source, List<TableKeys.TableKey> keys, FollowPublication.Scope scope)
            throws SQLException {
        try {
            changed = FollowPublication.create(source, config.followPublication(), keys, scope);
        } catch (SQLException e) {
            throw publicationFailure(e);
        }
        publicationCreated = true;
        LOG.infof(
                "phase=follow-publication publication=%s publishes=%s replica_identities_set=%d tables=\"%s\"",
                config.followPublication(),
                scope == FollowPublication.Scope.ALL_TABLES ? "all-tables" : "tables-now-present",
                changed.size(),
                String.join(
                        ",",
                        changed.stream().map(ReplicaIdentities.Changed::table).toList()));
    }

    private void createSlot(Connection source) throws SQLException, InterruptedException {
        replication = connector.openReplication();
        walSenderPid = replication.unwrap(PGConnection.class).getBackendPID();
        LOG.infof(
                "phase=follow-slot slot=%s waiting=\"for the write transactions running now to end\" timeout=%s",
                config.followSlot(), config.followSlotTimeout());
        long started = System.nanoTime();
        try {
            slot = FollowSlot.create(replication, config.followSlot(), config.followSlotTimeout());
        } catch (TimeoutException e) {
            String blocker = oldestWriteTransaction(source);
            throw StepFailure.timedOut("the replication slot " + config.followSlot() + " was not created within"
                    + " FERRY_DUMP_FOLLOW_SLOT_TIMEOUT=" + config.followSlotTimeout()
                    + ": creating it waits until every"
                    + " write transaction running at that moment has ended" + blocker + "; end or wait out that"
                    + " transaction, or raise FERRY_DUMP_FOLLOW_SLOT_TIMEOUT, and dump again (nothing of the follow"
                    + " was left behind)");
        } catch (SQLException e) {
            if ("53400".equals(e.getSQLState())) {
                throw StepFailure.refused("the source has no free replication slot (" + firstLine(e) + "): raise"
                        + " max_replication_slots (a restart) or drop a slot no longer used, then dump again");
            }
            throw e;
        }
        LOG.infof(
                "phase=follow-slot slot=%s consistent_point=%s snapshot=%s seconds=%.1f",
                slot.slot(), slot.consistentPoint().asString(), slot.snapshot(), (System.nanoTime() - started) / 1e9);
    }

    private static void closeQuietly(Connection session) {
        try {
            session.close();
        } catch (SQLException e) {
            LOG.debugf("closing a session: %s", e.getMessage());
        }
    }

    private void closeReplication() {
        if (replication == null) {
            return;
        }
        try {
            replication.close();
        } catch (SQLException e) {
            LOG.warnf("phase=follow-slot warning=\"closing the replication connection: %s\"", e.getMessage());
        }
        replication = null;
    }

    private static void checkWalLevel(Connection source) throws SQLException {
        String walLevel = setting(source, "SELECT current_setting('wal_level')");
        if (!"logical".equals(walLevel)) {
            throw StepFailure.refused("the source runs with wal_level=" + walLevel + " and a follow needs logical: set"
                    + " wal_level = logical and restart PostgreSQL ahead of the window (the follow-mode guide says"
                    + " how), or dump without FERRY_DUMP_FOLLOW; nothing was changed");
        }
    }

    private static void checkReplicationRight(Connection source, SourceServer server, String user) throws SQLException {
        if (server.superuser()) {
            return;
        }
        String replication = setting(source, "SELECT rolreplication::text FROM pg_roles WHERE rolname = current_user");
        if (!"true".equals(replication)) {
            throw StepFailure.refused("the role " + user + " may not create a replication slot: run ALTER ROLE "
                    + user + " REPLICATION as a superuser (or dump as one), or dump without FERRY_DUMP_FOLLOW;"
                    + " nothing was changed");
        }
    }

    private static void refuseUnkeyed(List<TableKeys.TableKey> keys) {
        List<String> unkeyed = keys.stream()
                .filter(key -> key.kind() == TableKeys.Kind.NO_KEY)
                .map(TableKeys.TableKey::table)
                .toList();
        if (unkeyed.isEmpty()) {
            return;
        }
        String named = String.join(", ", unkeyed.subList(0, Math.min(TABLES_NAMED, unkeyed.size())))
                + (unkeyed.size() > TABLES_NAMED ? " and " + (unkeyed.size() - TABLES_NAMED) + " more" : "");
        throw StepFailure.refused((unkeyed.size() == 1 ? "table " : unkeyed.size() + " tables ") + named
                + (unkeyed.size() == 1 ? " has" : " have")
                + " neither a primary key nor a usable unique index, so a follow could not apply its changes by key:"
                + " add a primary key (ALTER TABLE … ADD PRIMARY KEY (…)) and dump again; nothing was changed");
    }

    private static void refuseExisting(Connection source, DumpConfig config) throws SQLException {
        if (FollowSlot.exists(source, config.followSlot())) {
            throw StepFailure.refused("the replication slot " + config.followSlot() + " exists on the source: a"
                    + " follow is already running; abandon it first (ferry-follow-abandon), or, if the slot is not"
                    + " Ferry's, set FERRY_DUMP_FOLLOW_SLOT to another name; nothing was changed");
        }
        if (FollowPublication.exists(source, config.followPublication())) {
            throw StepFailure.refused("the publication " + config.followPublication() + " exists on the source: a"
                    + " follow is already running or was left behind; abandon it first (ferry-follow-abandon), or,"
                    + " if it is not Ferry's, set FERRY_DUMP_FOLLOW_PUBLICATION to another name; nothing was changed");
        }
    }

    private StepFailure publicationFailure(SQLException e) {
        String what = "creating the publication " + config.followPublication() + " (" + firstLine(e) + ")";
        return switch (e.getSQLState() == null ? "" : e.getSQLState()) {
            case "55P03" ->
                StepFailure.timedOut(what + " waited longer than the lock timeout of "
                        + ReplicaIdentities.LOCK_TIMEOUT + " for a table a long transaction holds; dump again once it"
                        + " ended; nothing was changed");
            case "42501" ->
                StepFailure.refused(what + " needs a superuser, or a role that owns every table and may"
                        + " CREATE on the database (GRANT CREATE ON DATABASE …); nothing was changed");
            case "42710" ->
                StepFailure.refused(
                        what + ": another follow started meanwhile; abandon it first;" + " nothing was changed");
            default -> new StepFailure(dev.ferry.core.ExitCode.UNEXPECTED, what + " failed; nothing was changed", e);
        };
    }

    /** Who holds the slot's creation up, for the timeout's message. */
    private static String oldestWriteTransaction(Connection source) {
        try (Statement sql = source.createStatement();
                ResultSet rs = sql.executeQuery("SELECT pid, coalesce(application_name, ''),"
                        + " extract(epoch FROM now() - xact_start)::bigint FROM pg_stat_activity"
                        + " WHERE backend_xid IS NOT NULL AND backend_type = 'client backend'"
                        + " AND pid <> pg_backend_pid() ORDER BY xact_start LIMIT 1")) {
            if (rs.next()) {
                return " (the oldest, pid " + rs.getInt(1) + " application \"" + rs.getString(2) + "\", has been open "
                        + rs.getLong(3) + " s)";
            }
        } catch (SQLException e) {
            LOG.debugf("could not read pg_stat_activity: %s", e.getMessage());
        }
        return "";
    }

    private static String setting(Connection source, String query) throws SQLException {
        try (PreparedStatement sql = source.prepareStatement(query);
                ResultSet rs = sql.executeQuery()) {
            return rs.next() ? rs.getString(1) : "";
        }
    }

    private static String firstLine(SQLException e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    @FunctionalInterface
    private interface SourceChange {
        void run() throws SQLException;
    }

    private static boolean attempt(String what, SourceChange change) {
        try {
            change.run();
            return true;
        } catch (SQLException e) {
            LOG.errorf("phase=follow-undo outcome=failed action=\"%s\" error=\"%s\"", what, firstLine(e));
            return false;
        }
    }
}
