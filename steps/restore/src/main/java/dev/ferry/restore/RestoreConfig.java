package dev.ferry.restore;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** Settings of the restore step (env vars {@code FERRY_RESTORE_*}); the target is {@code POSTGRES_*}. */
@ConfigMapping(prefix = "ferry.restore")
public interface RestoreConfig {

    /**
     * FERRY_RESTORE_CLEAN: restore into a database that already holds user tables, dropping and
     * recreating every object the dump holds first ({@code pg_restore --clean --if-exists}).
     * Objects the dump does not hold stay. Without it a non-empty target is refused (exit 3).
     */
    @WithDefault("false")
    boolean clean();

    /**
     * FERRY_RESTORE_NO_OWNER: restore without owners and grants ({@code --no-owner --no-privileges}):
     * every object belongs to POSTGRES_USER, no role is created and globals.sql is not applied.
     */
    @WithDefault("false")
    boolean noOwner();

    /**
     * FERRY_RESTORE_JOBS: parallel pg_restore jobs ({@code -j}, also vacuumdb's for ANALYZE); 1 restores in one
     * session. Unset: one per CPU the step may use (the container's CPU limit as the JVM sees it), up to 8.
     */
    OptionalInt jobs();

    /**
     * FERRY_RESTORE_MAINTENANCE_WORK_MEM: {@code maintenance_work_mem} of the restore's own sessions (index
     * builds), e.g. {@code 512M}. Unset: sized from the target, a sixth of its {@code effective_cache_size}
     * shared by the jobs, at least the server's own value and at most 2G. The server's configuration is never
     * changed.
     */
    @WithConverter(MemorySizeConverter.class)
    Optional<MemorySize> maintenanceWorkMem();

    /**
     * FERRY_RESTORE_PARALLEL_MAINTENANCE_WORKERS: {@code max_parallel_maintenance_workers} of the restore's
     * sessions (workers per B-tree index build). Unset: the target's {@code max_parallel_workers} shared by the
     * jobs, at least the server's own value.
     */
    OptionalInt parallelMaintenanceWorkers();

    /**
     * FERRY_RESTORE_SYNCHRONOUS_COMMIT: {@code synchronous_commit} of the restore's sessions. Off by default: a
     * commit does not wait for its WAL flush, and one synchronous commit at the end makes the whole restore
     * durable before the step reports success.
     */
    @WithDefault("false")
    boolean synchronousCommit();

    /**
     * FERRY_RESTORE_ANALYZE: after the restore, gather planner statistics with {@code vacuumdb
     * --analyze-in-stages} (FERRY_RESTORE_JOBS jobs), so Onyx's first queries are planned on real statistics.
     * A restore carries none.
     */
    @WithDefault("true")
    boolean analyze();

    /**
     * FERRY_RESTORE_SPLIT_TABLES_LARGER_THAN: a table at least this large on the source's disk (the manifest's
     * inventory) has its rows loaded over FERRY_RESTORE_JOBS sessions at once instead of pg_restore's one, while
     * pg_restore loads the other tables; e.g. {@code 256M}. {@code 0} loads every table the way pg_restore does.
     * Not used with FERRY_RESTORE_CLEAN or one job.
     */
    @WithDefault("64M")
    @WithConverter(MemorySizeConverter.class)
    MemorySize splitTablesLargerThan();

    /** FERRY_RESTORE_MAINTENANCE_DB: database to connect to while creating POSTGRES_DB when it is missing. */
    @WithDefault("postgres")
    String maintenanceDb();

    /**
     * FERRY_RESTORE_GLOBALS: apply globals.sql (roles from {@code pg_dumpall --globals-only}) when the
     * manifest lists it. Roles that already exist on the target are left exactly as they are.
     */
    @WithDefault("true")
    boolean globals();

    /**
     * FERRY_RESTORE_READONLY_USER: Onyx's read-only role (DB_READONLY_USER of the onyx-dbreadonly Secret). When
     * restore creates it and globals.sql brought no password for it, it gets LOGIN and
     * FERRY_RESTORE_READONLY_PASSWORD, so Onyx can log in as it. A role the target already has is never altered.
     */
    Optional<String> readonlyUser();

    /** FERRY_RESTORE_READONLY_PASSWORD: its password (DB_READONLY_PASSWORD); only its SCRAM hash reaches the server, never logged. */
    Optional<String> readonlyPassword();

    /** FERRY_RESTORE_PG_BIN_DIR: folder holding pg_restore and psql; unset means PATH. */
    Optional<Path> pgBinDir();

    /** FERRY_RESTORE_TIMEOUT: the longest pg_restore may run before it is stopped (exit 5), ISO-8601. */
    @WithDefault("PT6H")
    Duration timeout();
}
