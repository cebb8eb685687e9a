package dev.ferry.restore;

import dev.ferry.core.TransferProgress;
import dev.ferry.pg.PgConnector;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Progress of a running pg_restore, which prints none itself: the target database's size on disk,
 * against the source's size from the manifest, so a person can tell a slow restore from a stuck
 * one. Sizes differ between majors, so the percent is an estimate; an unknown source size gives
 * bytes and rate only.
 */
final class RestoreProgress implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RestoreProgress.class);

    private final PgConnector connector;
    private final TransferProgress progress;
    private Connection connection;

    RestoreProgress(PgConnector connector, long sourceSizeBytes, Duration interval) {
        this.connector = connector;
        this.progress = new TransferProgress(
                "pg_restore", connector.endpoint().database(), sourceSizeBytes > 0 ? sourceSizeBytes : -1, interval);
    }

    /** Called by the tool runner while pg_restore runs; a failed size query must not fail the restore. */
    void tick() {
        try {
            if (connection == null) {
                connection = connector.open();
            }
            try (Statement sql = connection.createStatement();
                    ResultSet rs = sql.executeQuery("SELECT pg_database_size(current_database())")) {
                rs.next();
                progress.set(rs.getLong(1));
            }
        } catch (RuntimeException | SQLException e) {
            LOG.debugf("phase=pg_restore progress unavailable: %s", e.getMessage());
        }
    }

    void finish() {
        tick();
        progress.finish();
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Only the progress reader's own connection; the restore's outcome does not depend on it.
            }
        }
    }
}
