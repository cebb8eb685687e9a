package dev.ferry.follow.cutover;

import dev.ferry.core.DaemonThreads;
import dev.ferry.follow.DrainMarker;
import dev.ferry.follow.FollowSlot;
import dev.ferry.pg.InventoryReader;
import dev.ferry.pg.PgConnector;
import dev.ferry.pg.SqlWork;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.postgresql.replication.LogSequenceNumber;

/**
 * Writes the drain marker on a thread of its own, from the moment the drain starts: Onyx is frozen, and the marker
 * needs only the source, not the bucket, whose client takes longer to start. It is written only while the follow's
 * slot is active, a WAL sender streaming it to capture: a marker no capture reads would stop a later capture early.
 * The sequences and the marker are one repeatable-read transaction, so the marker carries the values the source held
 * when it was written.
 */
final class MarkerSession implements AutoCloseable {

    /** What became of the marker. */
    sealed interface Outcome {}

    /**
     * Written at {@code lsn} in the source's WAL, carrying {@code sequences} sequences, {@code seconds} after the drain
     * started writing it.
     */
    record Written(LogSequenceNumber lsn, int sequences, double seconds) implements Outcome {}

    /** Not written: nothing streams the slot ({@code why}). */
    record NotStreaming(String why) implements Outcome {}

    private final ExecutorService writer = Executors.newSingleThreadExecutor(DaemonThreads.named("ferry-marker"));
    private final CompletableFuture<Outcome> outcome;

    private MarkerSession(PgConnector connector, String slot, String label) {
        outcome = CompletableFuture.supplyAsync(() -> write(connector, slot, label), writer);
    }

    /** Starts writing marker {@code label} once {@code slot} is found streaming. */
    static MarkerSession writing(PgConnector connector, String slot, String label) {
        return new MarkerSession(connector, slot, label);
    }

    private static Outcome write(PgConnector connector, String slot, String label) {
        long started = System.nanoTime();
        try (Connection session = connector.open()) {
            Optional<String> notStreaming = notStreaming(session, slot);
            if (notStreaming.isPresent()) {
                return new NotStreaming(notStreaming.get());
            }
            session.setAutoCommit(false);
            try (Statement sql = session.createStatement()) {
                sql.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            }
            DrainMarker marker = new DrainMarker(label, new InventoryReader().sequences(session));
            LogSequenceNumber at = FollowSlot.emitDrainMarker(session, marker);
            session.commit();
            return new Written(at, marker.sequences().size(), (System.nanoTime() - started) / 1e9);
        } catch (SQLException e) {
            throw new CompletionException(e);
        }
    }

    private static Optional<String> notStreaming(Connection session, String slot) throws SQLException {
        try (PreparedStatement sql = session.prepareStatement(
                "SELECT active FROM pg_replication_slots WHERE slot_name = ? AND database = current_database()")) {
            sql.setString(1, slot);
            try (ResultSet row = sql.executeQuery()) {
                if (!row.next()) {
                    return Optional.of("the source has no replication slot \"" + slot + "\" in this database"
                            + " (FERRY_FOLLOW_CUTOVER_SLOT names the follow's)");
                }
                return row.getBoolean(1)
                        ? Optional.empty()
                        : Optional.of("replication slot \"" + slot + "\" is not active: no capture streams it");
            }
        }
    }

    /** Waits for the marker to be written, or found not to be. */
    Outcome outcome() throws SQLException {
        return SqlWork.await(outcome);
    }

    /** Lets the writing thread end with its session, which closes once its transaction is over. */
    @Override
    public void close() {
        writer.shutdown();
    }
}
