package dev.ferry.dump;

import dev.ferry.core.ByteSizes;
import dev.ferry.core.StepFailure;
import dev.ferry.core.config.Settings;
import dev.ferry.core.workspace.DumpFormat;
import dev.ferry.pg.PgVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/** Checks made before anything is written: settings that contradict each other, tool versus server version, space. */
final class Preflight {

    private static final Logger LOG = Logger.getLogger(Preflight.class);

    private Preflight() {}

    static void checkSettings(DumpConfig config) {
        if (config.jobs().isPresent()) {
            int jobs = Settings.jobs(config.jobs(), "FERRY_DUMP_JOBS");
            if (jobs > 1 && config.format() != DumpFormat.DIRECTORY) {
                throw StepFailure.badConfiguration("FERRY_DUMP_JOBS=" + jobs
                        + " needs FERRY_DUMP_FORMAT=directory: pg_dump writes the custom format with one job only");
            }
        }
        config.compression().ifPresent(level -> {
            if (!level.matches("[0-9]|(gzip|lz4|zstd|none)(:[a-z0-9=,]+)?")) {
                throw StepFailure.badConfiguration(
                        "FERRY_DUMP_COMPRESSION \"" + level
                                + "\" is not a pg_dump compression: use 0-9, or (pg_dump 16+) gzip, lz4, zstd, none with an optional :level");
            }
        });
        Settings.positive(config.timeout(), "FERRY_DUMP_TIMEOUT");
        if (config.follow()) {
            Settings.positive(config.followSlotTimeout(), "FERRY_DUMP_FOLLOW_SLOT_TIMEOUT");
            if (!config.followSlot().matches("[a-z0-9_]{1,63}")) {
                throw StepFailure.badConfiguration("FERRY_DUMP_FOLLOW_SLOT \"" + config.followSlot()
                        + "\" is not a replication slot name: use 1 to 63 lower-case letters, digits and underscores");
            }
            if (config.followPublication().isBlank()) {
                throw StepFailure.badConfiguration(
                        "FERRY_DUMP_FOLLOW_PUBLICATION is empty: name the follow's publication");
            }
        }
    }

    /**
     * Compression methods (gzip, lz4, zstd, none) came with pg_dump 16; an older one rejects them only after
     * it has started. Checked with the version pg_dump reports, before the workspace changes.
     */
    static void checkCompression(DumpConfig config, PgVersion pgDump) {
        config.compression().filter(value -> !value.matches("[0-9]")).ifPresent(method -> {
            if (pgDump.majorKey() < 1600) {
                throw StepFailure.badConfiguration(
                        "FERRY_DUMP_COMPRESSION \"" + method + "\" needs pg_dump 16 or newer, " + "and pg_dump here is "
                                + pgDump + ": use a level 0-9, or a newer client (FERRY_DUMP_PG_BIN_DIR)");
            }
        });
    }

    /** pg_dump refuses servers of a newer major ("aborting because of server version mismatch"): say so first, with the fix. */
    static void checkVersions(PgVersion pgDump, SourceServer server) {
        if (pgDump.isOlderMajorThan(server.version())) {
            throw StepFailure.refused("pg_dump " + pgDump + " is older than the source server (PostgreSQL "
                    + server.version() + "): pg_dump cannot dump a newer major; use a client image with pg_dump "
                    + server.version().major() + " or newer (or set FERRY_DUMP_PG_BIN_DIR to one)");
        }
    }

    /** Only a warning: a dump is usually much smaller than the database (no indexes, compressed). */
    static void checkSpace(Path workdir, long databaseBytes) {
        try {
            long usable = Files.getFileStore(workdir).getUsableSpace();
            if (usable < databaseBytes) {
                LOG.warnf(
                        "phase=preflight note=\"workspace may be too small\" workdir=%s free=%s database=%s",
                        workdir, ByteSizes.human(usable), ByteSizes.human(databaseBytes));
            } else {
                LOG.infof(
                        "phase=preflight workdir=%s free=%s database=%s",
                        workdir, ByteSizes.human(usable), ByteSizes.human(databaseBytes));
            }
        } catch (IOException e) {
            LOG.warnf("phase=preflight note=\"cannot tell free space\" workdir=%s error=%s", workdir, e.getMessage());
        }
    }
}
