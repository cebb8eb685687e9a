package dev.ferry.pg;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Sessions that read the snapshot of a session already in a repeatable-read transaction: it exports its snapshot
 * ({@code pg_export_snapshot}) and each of these imports it ({@code SET TRANSACTION SNAPSHOT}), as {@code pg_dump -j}
 * does, so work split over them sees the database at one moment. The exporting transaction must stay open until they
 * have imported it, which {@link #join} does before it returns.
 */
public final class SharedSnapshot implements AutoCloseable {

    private final List<Connection> sessions;

    private SharedSnapshot(List<Connection> sessions) {
        this.sessions = sessions;
    }

    /**
     * {@code count} sessions from {@code open}, each in a read-only repeatable-read transaction on the snapshot of
     * {@code exporting}'s open transaction, with the text forms pinned for digests.
     */
    public static SharedSnapshot join(Connection exporting, Supplier<Connection> open, int count) throws SQLException {
        String snapshot;
        try (Statement sql = exporting.createStatement();
                ResultSet rs = sql.executeQuery("SELECT pg_export_snapshot()")) {
            rs.next();
            snapshot = rs.getString(1);
        }
        // Opened at once, each on a thread of its own: inside the outage, a session's login is a round trip or more.
        List<CompletableFuture<Connection>> opening = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            opening.add(SqlWork.start("ferry-session", () -> importing(open.get(), snapshot)));
        }
        List<Connection> sessions = new ArrayList<>();
        SharedSnapshot shared = new SharedSnapshot(sessions);
        Exception failed = null;
        for (CompletableFuture<Connection> session : opening) {
            try {
                sessions.add(SqlWork.await(session));
            } catch (SQLException | RuntimeException e) {
                failed = failed == null ? e : failed;
            }
        }
        if (failed != null) {
            shared.close();
            if (failed instanceof SQLException sql) {
                throw sql;
            }
            throw (RuntimeException) failed;
        }
        return shared;
    }

    /** {@code session} in a read-only repeatable-read transaction on {@code snapshot}; closed when that fails. */
    private static Connection importing(Connection session, String snapshot) throws SQLException {
        try {
            session.setAutoCommit(false);
            try (Statement sql = session.createStatement()) {
                sql.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                // A snapshot's id is what pg_export_snapshot printed: hex digits and dashes, nothing to quote.
                sql.execute("SET TRANSACTION SNAPSHOT '" + snapshot.replace("'", "") + "'");
            }
            ContentDigests.prepare(session);
            return session;
        } catch (SQLException | RuntimeException e) {
            try {
                session.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    public List<Connection> sessions() {
        return sessions;
    }

    /** Ends each session's transaction (it only read) and closes it. */
    @Override
    public void close() {
        for (Connection session : sessions) {
            try (session) {
                session.rollback();
            } catch (SQLException ignored) {
                // closing ends the transaction all the same
            }
        }
    }
}
