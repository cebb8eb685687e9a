package dev.ferry.follow;

import dev.ferry.core.DaemonThreads;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.ReplicationSlotInfo;

/**
 * The source side's fixtures of a follow: the publication, the logical slot created with its snapshot exported (the
 * base copy reads that snapshot, so it and the stream meet exactly at the slot's consistent point), and their removal.
 * The exported snapshot lives only while the replication connection that created the slot stays idle.
 */
public final class FollowSlot {

    private FollowSlot() {}

    /** What creating the slot gave: its consistent point, and the snapshot to copy the base in. */
    public record Created(String slot, LogSequenceNumber consistentPoint, String snapshot) {}

    /**
     * A replication connection ({@code replication=database}, simple query mode, as the walsender wants), for
     * creating the slot and streaming from it.
     */
    public static Connection replicationConnection(String jdbcUrl, String user, String password, String application)
            throws SQLException {
        Properties properties = new Properties();
        PGProperty.USER.set(properties, user);
        if (password != null) {
            PGProperty.PASSWORD.set(properties, password);
        }
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "10");
        PGProperty.REPLICATION.set(properties, "database");
        PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
        PGProperty.APPLICATION_NAME.set(properties, application);
        return DriverManager.getConnection(jdbcUrl, properties);
    }

    /**
     * Publishes every table, on its own: what the tests' follows use. A follow's start creates its publication with
     * the replica identities it needs and their record, in one transaction ({@link FollowPublication#create}).
     */
    public static void createPublication(Connection source, String publication) throws SQLException {
        try (Statement sql = source.createStatement()) {
            sql.execute("CREATE PUBLICATION " + Identifiers.quote(publication) + " FOR ALL TABLES");
        }
    }

    /**
     * Creates the pgoutput slot on {@code replication} and leaves that connection idle, so the exported snapshot stays
     * usable (by {@code pg_dump --snapshot}) until the connection's next command.
     */
    public static Created create(Connection replication, String slot) throws SQLException {
        ReplicationSlotInfo info = replication
                .unwrap(PGConnection.class)
                .getReplicationAPI()
                .createReplicationSlot()
                .logical()
                .withSlotName(slot)
                .withOutputPlugin("pgoutput")
                .make();
        return new Created(info.getSlotName(), info.getConsistentPoint(), info.getSnapshotName());
    }

    /**
     * {@link #create} bounded by {@code patience}: creating a slot waits until every write transaction running at that
     * moment has ended, and one that does not end must not hold the start for ever. When the patience runs out the
     * creation is cancelled (a slot still being created disappears with it) and {@link TimeoutException} thrown; a
     * creation that completed regardless is returned.
     */
    public static Created create(Connection replication, String slot, Duration patience)
            throws SQLException, TimeoutException, InterruptedException {
        CompletableFuture<Created> creating = new CompletableFuture<>();
        Thread creator = DaemonThreads.named("ferry-slot-create").newThread(() -> {
            try {
                creating.complete(create(replication, slot));
            } catch (SQLException | RuntimeException e) {
                creating.completeExceptionally(e);
            }
        });
        creator.start();
        try {
            return creating.get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException waitedTooLong) {
            replication.unwrap(PGConnection.class).cancelQuery();
            creator.join();
            if (creating.isCompletedExceptionally()) {
                throw waitedTooLong;
            }
            return creating.join();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw e.getCause() instanceof RuntimeException unchecked ? unchecked : new IllegalStateException(e);
        }
    }

    /** Whether a replication slot of that name exists on the source (of any follow, or anything else). */
    public static boolean exists(Connection source, String slot) throws SQLException {
        try (PreparedStatement sql =
                source.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
            sql.setString(1, slot);
            try (var rs = sql.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Ends the WAL sender {@code walSenderPid} if it still holds {@code slot} (waiting up to 10 s for it to go), so
     * the slot can be dropped right after its replication connection was closed. Only that process: never another
     * follow's.
     */
    public static void release(Connection source, String slot, int walSenderPid) throws SQLException {
        try (PreparedStatement sql = source.prepareStatement("SELECT pg_terminate_backend(active_pid, 10000)"
                + " FROM pg_replication_slots WHERE slot_name = ? AND active_pid = ?")) {
            sql.setString(1, slot);
            sql.setInt(2, walSenderPid);
            sql.execute();
        }
    }

    /**
     * Drops the slot and the publication when they exist, so no slot outlives its follow and fills the source's disk.
     * The slot must not be streaming: close its replication connection first.
     */
    public static void drop(Connection source, String slot, String publication) throws SQLException {
        dropSlot(source, slot);
        dropPublication(source, publication);
    }

    /** Drops the slot when it exists; it must not be streaming. */
    public static void dropSlot(Connection source, String slot) throws SQLException {
        try (PreparedStatement sql = source.prepareStatement(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
            sql.setString(1, slot);
            sql.execute();
        }
    }

    /** Drops the publication when it exists. */
    public static void dropPublication(Connection source, String publication) throws SQLException {
        try (Statement sql = source.createStatement()) {
            sql.execute("DROP PUBLICATION IF EXISTS " + Identifiers.quote(publication));
        }
    }

    /**
     * Writes the drain marker into the source's WAL as a transactional logical message: capture stores the segment
     * that ends with it and stops. Returns the message's LSN.
     */
    public static LogSequenceNumber emitDrainMarker(Connection source, DrainMarker marker) throws SQLException {
        return emitDrainMarker(source, marker.content());
    }

    /** A drain marker whose content is {@code content}: a bare label (sets no sequence), or a marker's JSON. */
    public static LogSequenceNumber emitDrainMarker(Connection source, String content) throws SQLException {
        try (PreparedStatement sql = source.prepareStatement("SELECT pg_logical_emit_message(true, ?, ?)::text")) {
            sql.setString(1, Capture.MARKER_PREFIX);
            sql.setString(2, content);
            try (var rs = sql.executeQuery()) {
                rs.next();
                return LogSequenceNumber.valueOf(rs.getString(1));
            }
        }
    }
}
