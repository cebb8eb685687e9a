package dev.ferry.pg;

import dev.ferry.core.DaemonThreads;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Exact row counts over several sessions that all import one {@link ExportedSnapshot}: each takes the next
 * table from a shared queue (largest first), so a database of many tables is counted in the time of its
 * largest one or of its total over the sessions, whichever is longer, and every count is of the same moment.
 */
final class ParallelRowCounts {

    private final ExportedSnapshot snapshot;
    private final Supplier<Connection> sessionOpener;
    private final int sessions;

    ParallelRowCounts(ExportedSnapshot snapshot, Supplier<Connection> sessionOpener, int sessions) {
        this.snapshot = snapshot;
        this.sessionOpener = sessionOpener;
        this.sessions = sessions;
    }

    Map<List<String>, TableScan.Result> scan(List<List<String>> tables, TableScan scan) throws SQLException {
        if (sessions <= 1 || tables.size() <= 1) {
            return InventoryReader.scanRows(snapshot.connection(), tables, scan);
        }
        ConcurrentLinkedQueue<List<String>> queue = new ConcurrentLinkedQueue<>(tables);
        Map<List<String>, TableScan.Result> rows = new ConcurrentHashMap<>();
        int workers = Math.min(sessions, tables.size());
        // Daemons: a failed step must not wait for counts nobody reads.
        ExecutorService pool = Executors.newFixedThreadPool(workers, DaemonThreads.named("ferry-row-count"));
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                done.add(pool.submit(() -> {
                    try (Connection session = sessionOpener.get()) {
                        if (scan.digests()) {
                            ContentDigests.prepare(
                                    session); // outside the snapshot's transaction, which must come first
                        }
                        snapshot.importInto(session);
                        for (List<String> table = queue.poll(); table != null; table = queue.poll()) {
                            rows.putAll(InventoryReader.scanRows(session, List.of(table), scan));
                        }
                        ExportedSnapshot.release(session);
                    }
                    return null;
                }));
            }
            for (Future<Void> worker : done) {
                worker.get();
            }
            return rows;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("row counts interrupted", e);
        } catch (ExecutionException e) {
            queue.clear(); // the other sessions stop after their current table
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
