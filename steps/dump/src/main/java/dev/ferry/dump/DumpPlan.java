package dev.ferry.dump;

import dev.ferry.core.config.Settings;
import dev.ferry.core.workspace.DumpFormat;
import dev.ferry.pg.PgVersion;

/**
 * The pg_dump jobs and compression this run uses: what the settings say, else the fastest choice the
 * client allows. Unset compression is zstd level 1 with pg_dump 16+ and gzip level 1 before that: about
 * three times faster than pg_dump's own default (gzip 6) for a few percent more bytes (measured in the
 * README). Unset jobs is one per CPU for the directory format, the only one pg_dump writes in parallel.
 */
record DumpPlan(int jobs, String compression) {

    /** pg_dump 16 brought compression methods (lz4, zstd); before it only gzip levels 0-9. */
    static final String FAST_COMPRESSION = "zstd:1";

    static final String FAST_GZIP_LEVEL = "1";

    static DumpPlan of(DumpConfig config, PgVersion pgDump) {
        int jobs = config.format() == DumpFormat.DIRECTORY ? Settings.jobs(config.jobs(), "FERRY_DUMP_JOBS") : 1;
        String compression =
                config.compression().orElse(pgDump.majorKey() >= 1600 ? FAST_COMPRESSION : FAST_GZIP_LEVEL);
        return new DumpPlan(jobs, compression);
    }
}
