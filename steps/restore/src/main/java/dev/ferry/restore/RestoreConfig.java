package dev.ferry.restore;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

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

    /** FERRY_RESTORE_JOBS: parallel pg_restore jobs ({@code -j}); 1 restores in one session. */
    @WithDefault("2")
    int jobs();

    /** FERRY_RESTORE_MAINTENANCE_DB: database to connect to while creating POSTGRES_DB when it is missing. */
    @WithDefault("postgres")
    String maintenanceDb();

    /**
     * FERRY_RESTORE_GLOBALS: apply globals.sql (roles from {@code pg_dumpall --globals-only}) when the
     * manifest lists it. Roles that already exist on the target are left exactly as they are.
     */
    @WithDefault("true")
    boolean globals();

    /** FERRY_RESTORE_PG_BIN_DIR: folder holding pg_restore and psql; unset means PATH. */
    Optional<Path> pgBinDir();

    /** FERRY_RESTORE_TIMEOUT: the longest pg_restore may run before it is stopped (exit 5), ISO-8601. */
    @WithDefault("PT6H")
    Duration timeout();
}
