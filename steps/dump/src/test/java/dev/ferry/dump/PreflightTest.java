package dev.ferry.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import dev.ferry.core.workspace.DumpFormat;
import dev.ferry.pg.PgVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PreflightTest {

    record Settings(
            DumpFormat format,
            Optional<String> compression,
            OptionalInt jobs,
            boolean globals,
            Optional<Path> pgBinDir,
            Duration timeout)
            implements DumpConfig {

        @Override
        public boolean contentDigests() {
            return true;
        }

        @Override
        public Optional<List<String>> shardsMigratedSeparately() {
            return Optional.empty();
        }

        @Override
        public boolean follow() {
            return false;
        }

        @Override
        public String followSlot() {
            return "ferry_follow";
        }

        @Override
        public String followPublication() {
            return "ferry_follow";
        }

        @Override
        public Duration followSlotTimeout() {
            return Duration.ofMinutes(5);
        }

        static Settings of(DumpFormat format, String compression, int jobs) {
            return new Settings(
                    format,
                    Optional.ofNullable(compression),
                    OptionalInt.of(jobs),
                    false,
                    Optional.empty(),
                    Duration.ofHours(6));
        }

        static Settings unsetJobs(DumpFormat format, String compression) {
            return new Settings(
                    format,
                    Optional.ofNullable(compression),
                    OptionalInt.empty(),
                    false,
                    Optional.empty(),
                    Duration.ofHours(6));
        }
    }

    @Test
    void parallel_jobs_need_the_directory_format() {
        assertThatThrownBy(() -> Preflight.checkSettings(Settings.of(DumpFormat.CUSTOM, null, 2)))
                .isInstanceOfSatisfying(
                        StepFailure.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION))
                .hasMessageContaining("FERRY_DUMP_FORMAT=directory");
        assertThatCode(() -> Preflight.checkSettings(Settings.of(DumpFormat.DIRECTORY, null, 2)))
                .doesNotThrowAnyException();
    }

    @Test
    void compression_accepts_what_pg_dump_accepts() {
        for (String ok : List.of("0", "9", "gzip:5", "lz4", "zstd:long", "none")) {
            assertThatCode(() -> Preflight.checkSettings(Settings.of(DumpFormat.CUSTOM, ok, 1)))
                    .as(ok)
                    .doesNotThrowAnyException();
        }
        assertThatThrownBy(() -> Preflight.checkSettings(Settings.of(DumpFormat.CUSTOM, "10; rm -rf /", 1)))
                .hasMessageContaining("FERRY_DUMP_COMPRESSION");
    }

    @Test
    void an_older_pg_dump_is_refused_naming_both_versions() {
        SourceServer server16 = new SourceServer(PgVersion.ofServerVersionNum(160015), "16.15", true);
        assertThatThrownBy(() ->
                        Preflight.checkVersions(PgVersion.parseToolVersion("pg_dump (PostgreSQL) 15.18"), server16))
                .isInstanceOfSatisfying(
                        StepFailure.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCode.REFUSED))
                .hasMessageStartingWith("pg_dump 15.18 is older than the source server (PostgreSQL 16.15)");
        SourceServer server14 = new SourceServer(PgVersion.ofServerVersionNum(140022), "14.22", true);
        assertThatCode(() ->
                        Preflight.checkVersions(PgVersion.parseToolVersion("pg_dump (PostgreSQL) 15.18"), server14))
                .doesNotThrowAnyException();
    }

    @Test
    void unset_jobs_and_compression_take_the_fast_choice_the_client_allows() {
        PgVersion pg15 = PgVersion.parseToolVersion("pg_dump (PostgreSQL) 15.18");
        PgVersion pg17 = PgVersion.parseToolVersion("pg_dump (PostgreSQL) 17.12");
        int cpus = Math.min(
                dev.ferry.core.config.Settings.MAX_DEFAULT_JOBS,
                Runtime.getRuntime().availableProcessors());

        assertThat(DumpPlan.of(Settings.unsetJobs(DumpFormat.DIRECTORY, null), pg17))
                .isEqualTo(new DumpPlan(cpus, "zstd:1"));
        assertThat(DumpPlan.of(Settings.unsetJobs(DumpFormat.CUSTOM, null), pg15))
                .isEqualTo(new DumpPlan(1, "1"));
        assertThat(DumpPlan.of(Settings.of(DumpFormat.DIRECTORY, "6", 3), pg15)).isEqualTo(new DumpPlan(3, "6"));
        assertThatCode(() -> Preflight.checkSettings(Settings.unsetJobs(DumpFormat.CUSTOM, null)))
                .doesNotThrowAnyException();
    }
}
