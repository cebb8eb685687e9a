package dev.ferry.restore;

import dev.ferry.core.ByteSizes;
import dev.ferry.core.StepFailure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The session settings a bulk load wants, for pg_restore's and vacuumdb's own connections only (they
 * travel as PGOPTIONS): more memory and workers for index builds, and commits that do not wait for their
 * WAL flush. Each is what the user set, or sized from what the target server says about itself; the
 * server's own configuration is never changed.
 */
record BulkLoad(long maintenanceWorkMemKb, int parallelMaintenanceWorkers, boolean synchronousCommit) {

    /** Above this, maintenance_work_mem buys an index build nothing (and PostgreSQL caps some uses at 2 GB). */
    static final long MAX_MAINTENANCE_WORK_MEM_KB = 2L * 1024 * 1024;

    /**
     * The share of effective_cache_size given to index builds. effective_cache_size is the DBA's statement of
     * the memory the server may count on (tuning guides set it to about 3/4 of RAM, maintenance_work_mem to
     * about 1/16 of RAM for a server under load); a restore is the server's only load, so it gets twice that.
     */
    static final int CACHE_SHARE_DIVISOR = 6;

    /** What the target runs with now: the floor of every derived value. */
    record ServerSettings(
            long maintenanceWorkMemKb,
            long effectiveCacheSizeKb,
            int maxParallelWorkers,
            int maxParallelMaintenanceWorkers) {

        static ServerSettings read(Connection connection) throws SQLException {
            try (Statement sql = connection.createStatement();
                    ResultSet rs = sql.executeQuery("""
                            SELECT pg_size_bytes(current_setting('maintenance_work_mem')) / 1024,
                                   pg_size_bytes(current_setting('effective_cache_size')) / 1024,
                                   current_setting('max_parallel_workers')::int,
                                   current_setting('max_parallel_maintenance_workers')::int""")) {
                rs.next();
                return new ServerSettings(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getInt(4));
            }
        }
    }

    /** The given values PostgreSQL would refuse, as exit 2 naming the setting, before anything is restored. */
    static void checkSettings(RestoreConfig config) {
        config.maintenanceWorkMem().ifPresent(size -> {
            if (size.asLongValue() < 1024 * 1024) {
                throw StepFailure.badConfiguration(
                        "FERRY_RESTORE_MAINTENANCE_WORK_MEM must be at least 1M (PostgreSQL's minimum), e.g. 512M");
            }
        });
        config.parallelMaintenanceWorkers().ifPresent(workers -> {
            if (workers < 0 || workers > 1024) {
                throw StepFailure.badConfiguration(
                        "FERRY_RESTORE_PARALLEL_MAINTENANCE_WORKERS is " + workers + "; use 0 to 1024");
            }
        });
    }

    static BulkLoad plan(RestoreConfig config, int jobs, ServerSettings server) {
        long memoryKb = config.maintenanceWorkMem()
                .map(size -> size.asLongValue() / 1024)
                .orElseGet(() -> Math.min(
                        MAX_MAINTENANCE_WORK_MEM_KB,
                        Math.max(
                                server.maintenanceWorkMemKb(),
                                server.effectiveCacheSizeKb() / CACHE_SHARE_DIVISOR / jobs)));
        int workers = config.parallelMaintenanceWorkers().isPresent()
                ? config.parallelMaintenanceWorkers().getAsInt()
                : Math.max(server.maxParallelMaintenanceWorkers(), server.maxParallelWorkers() / jobs);
        return new BulkLoad(memoryKb, workers, config.synchronousCommit());
    }

    /** As PGOPTIONS carries them: {@code name=value}, in units PostgreSQL reads. */
    Map<String, String> sessionSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("maintenance_work_mem", maintenanceWorkMemKb + "kB");
        settings.put("max_parallel_maintenance_workers", Integer.toString(parallelMaintenanceWorkers));
        settings.put("synchronous_commit", synchronousCommit ? "on" : "off");
        return settings;
    }

    String describe() {
        return "maintenance_work_mem=" + ByteSizes.human(maintenanceWorkMemKb * 1024)
                + " max_parallel_maintenance_workers=" + parallelMaintenanceWorkers + " synchronous_commit="
                + (synchronousCommit ? "on" : "off");
    }
}
