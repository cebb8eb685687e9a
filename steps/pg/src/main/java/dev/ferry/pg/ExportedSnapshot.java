package dev.ferry.pg;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A read-only REPEATABLE READ transaction that exported its snapshot ({@code pg_export_snapshot()}). Every
 * session that imports the id ({@code SET TRANSACTION SNAPSHOT}, or {@code pg_dump --snapshot}) sees exactly
 * the database this one sees, commits before the export and nothing after, for as long as this transaction
 * stays open. So the dump and the inventory beside it describe the same moment.
 */
public final class ExportedSnapshot implements AutoCloseable {

    private final Connection connection;
    private final String id;

    private ExportedSnapshot(Connection connection, String id) {
        this.connection = connection;
        this.id = id;
    }

    /** Begins the exporting transaction on {@code connection}, which then belongs to the snapshot until closed. */
    public static ExportedSnapshot export(Connection connection) throws SQLException {
        connection.setAutoCommit(true); // the transaction block is ours, spelt out below, not the driver's
        try (Statement sql = connection.createStatement()) {
            sql.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
            try (ResultSet rs = sql.executeQuery("SELECT pg_export_snapshot()")) {
                rs.next();
                return new ExportedSnapshot(connection, rs.getString(1));
            }
        }
    }

    /**
     * Reads inside a snapshot that another session exported, such as a logical replication slot created with its
     * snapshot exported: {@code connection} then belongs to it until closed, as with {@link #export}. The exporting
     * session must keep it alive (a slot's replication connection stays idle) until every reader imported it.
     */
    public static ExportedSnapshot imported(Connection connection, String id) throws SQLException {
        ExportedSnapshot snapshot = new ExportedSnapshot(connection, id);
        snapshot.importInto(connection);
        return snapshot;
    }

    /** The snapshot's name, as pg_dump --snapshot and SET TRANSACTION SNAPSHOT take it. */
    public String id() {
        return id;
    }

    /** The exporting session, reading inside the snapshot. */
    public Connection connection() {
        return connection;
    }

    /** Makes {@code other} read inside this snapshot too, until {@link #release} (or its close). */
    public void importInto(Connection other) throws SQLException {
        if (!id.matches("[0-9A-Fa-f-]+")) {
            throw new IllegalStateException("unexpected snapshot id " + id);
        }
        other.setAutoCommit(true);
        try (Statement sql = other.createStatement()) {
            sql.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
            sql.execute("SET TRANSACTION SNAPSHOT '" + id + "'");
        }
    }

    /** Ends a session's read-only transaction (the one {@link #export} or {@link #importInto} began). */
    public static void release(Connection session) throws SQLException {
        try (Statement sql = session.createStatement()) {
            sql.execute("ROLLBACK");
        }
    }

    /** Ends the exporting transaction: from here no one can import the snapshot. */
    @Override
    public void close() throws SQLException {
        if (!connection.isClosed()) {
            release(connection);
        }
    }
}
