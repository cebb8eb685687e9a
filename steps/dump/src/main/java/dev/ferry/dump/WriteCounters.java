package dev.ferry.dump;

import dev.ferry.core.manifest.Manifest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The source's own count of rows written (inserted, updated, deleted) per user table, from
 * {@code pg_stat_user_tables}. Read before the snapshot is exported and again after the dump, the
 * difference is what was written after the snapshot, so is not in the dump. PostgreSQL publishes a
 * session's counts when it commits and goes idle, at most about once a second (PostgreSQL 15+; the
 * statistics collector of 14 and older is as quick): a writer busy through the dump shows up.
 * TRUNCATE and DDL are not row writes and are not counted.
 */
record WriteCounters(Map<List<String>, Long> rowsWritten) {

    /**
     * How long after the snapshot the second reading waits at least: a session publishes its counts at most
     * once per second (PGSTAT_MIN_INTERVAL), so a write early in a dump shorter than this would not show yet.
     * Only dumps shorter than this wait.
     */
    static final Duration PUBLISH_DELAY = Duration.ofMillis(1500);

    /** The counts once {@link #PUBLISH_DELAY} has passed since {@code snapshotTakenNanos} ({@link System#nanoTime}). */
    static WriteCounters readPublishedSince(Connection connection, long snapshotTakenNanos)
            throws SQLException, InterruptedException {
        long waitNanos = PUBLISH_DELAY.toNanos() - (System.nanoTime() - snapshotTakenNanos);
        if (waitNanos > 0) {
            Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        }
        return read(connection);
    }

    static WriteCounters read(Connection connection) throws SQLException {
        Map<List<String>, Long> rows = new HashMap<>();
        try (Statement sql = connection.createStatement()) {
            // Within one transaction the statistics are cached (stats_fetch_consistency): read fresh ones.
            sql.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet rs = sql.executeQuery(
                    "SELECT schemaname, relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables")) {
                while (rs.next()) {
                    rows.put(List.of(rs.getString(1), rs.getString(2)), rs.getLong(3));
                }
            }
        }
        return new WriteCounters(rows);
    }

    /** Tables written to between {@code before} and these counts, most rows first. */
    List<Manifest.TableWrites> since(WriteCounters before) {
        List<Manifest.TableWrites> writes = new ArrayList<>();
        rowsWritten.forEach((table, rows) -> {
            // A table created after the first reading counts from zero; a statistics reset shows as fewer.
            long delta = rows - before.rowsWritten().getOrDefault(table, 0L);
            if (delta > 0) {
                writes.add(new Manifest.TableWrites(table.get(0), table.get(1), delta));
            }
        });
        writes.sort((a, b) -> Long.compare(b.rows(), a.rows()));
        return writes;
    }
}
