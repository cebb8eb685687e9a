package dev.ferry.follow.cutover;

import dev.ferry.core.DaemonThreads;
import dev.ferry.follow.DrainMarker;
import dev.ferry.follow.FollowSlot;
import dev.ferry.pg.InventoryReader;
import dev.ferry.pg.PgConnector;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.postgresql.replication.LogSequenceNumber;

/**
 * The source session that writes the drain marker, opened, and the frozen source's sequences read, on a thread of its
 * own while the bucket's client starts and the drain checks that capture runs: Onyx is frozen meanwhile, and neither
 * needs the other until the marker is written. The sequences and the marker are one repeatable-read transaction, so
 * the marker carries the values the source held when it was written.
 */
final class MarkerSession implements AutoCloseable {

    /** An open transaction on the source that has read the sequences, and the marker holding them. */
    private record Prepared(Connection session, DrainMarker marker) {}

    private final ExecutorService opener = Executors.newSingleThreadExecutor(DaemonThreads.named("ferry-marker"));
    private final CompletableFuture<Prepared> prepared;
    private boolean written;

    private MarkerSession(PgConnector connector, String label) {
        prepared = CompletableFuture.supplyAsync(() -> prepare(connector, label), opener);
    }

    /** Starts opening the session and reading the sequences for marker {@code label}. */
    static MarkerSession opening(PgConnector connector, String label) {
        return new MarkerSession(connector, label);
    }

    private static Prepared prepare(PgConnector connector, String label) {
        Connection session = connector.open();
        try {
            session.setAutoCommit(false);
            try (Statement sql = session.createStatement()) {
                sql.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            }
            return new Prepared(session, new DrainMarker(label, new InventoryReader().sequences(session)));
        } catch (SQLException | RuntimeException e) {
            closeQuietly(session);
            throw new CompletionException(e);
        }
    }

    /** Writes the marker and commits: capture meets it after every change committed before it. */
    Written write() throws SQLException {
        Prepared ready = ready();
        LogSequenceNumber at = FollowSlot.emitDrainMarker(ready.session(), ready.marker());
        ready.session().commit();
        written = true;
        return new Written(at, ready.marker().sequences().size());
    }

    /** Where the marker is in the source's WAL, and how many sequences it carries. */
    record Written(LogSequenceNumber lsn, int sequences) {}

    private Prepared ready() throws SQLException {
        try {
            return prepared.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException failure) {
                throw failure;
            }
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure; // a login refused: exit 2 naming the setting, as any step says it
            }
            throw e;
        }
    }

    /** Ends the session; a marker not written (a refusal, a marker written earlier) is rolled back with it. */
    @Override
    public void close() {
        opener.shutdown();
        prepared.thenAccept(ready -> {
            if (!written) {
                try {
                    ready.session().rollback();
                } catch (SQLException ignored) {
                    // closing ends the transaction all the same
                }
            }
            closeQuietly(ready.session());
        });
    }

    private static void closeQuietly(Connection session) {
        try {
            session.close();
        } catch (SQLException ignored) {
            // the session is going away either way
        }
    }
}
