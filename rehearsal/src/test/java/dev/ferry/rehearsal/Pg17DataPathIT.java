package dev.ferry.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.testing.StepProgram;
import dev.ferry.testing.StepRun;
import dev.ferry.testing.pg.DatabaseAccess;
import dev.ferry.testing.pg.OnyxFixture;
import dev.ferry.testing.pg.Pg17Client;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path the images' newer client takes: PostgreSQL 17's pg_dump writes a zstd-compressed directory
 * dump with parallel jobs (Ferry's unset compression with a 16+ client), PostgreSQL 17's pg_restore
 * restores it into PostgreSQL 17, and validate finds the target equal to the manifest. Skips when
 * hack/pg17-client.sh cannot get the 17 tools on this machine.
 */
class Pg17DataPathIT {

    private static final Path PROJECT_ROOT = Path.of(System.getProperty("ferry.project.root", ".."))
            .toAbsolutePath()
            .normalize();

    @TempDir
    Path workdir;

    @Test
    void a_zstd_dump_from_pg_dump_17_restores_with_pg_restore_17_into_postgresql_17_and_validates() throws Exception {
        Optional<Path> pg17 = Pg17Client.binDir();
        assumeTrue(pg17.isPresent(), "PostgreSQL 17 client tools cannot be had here (hack/pg17-client.sh)");
        try (PostgresServer source = PostgresServer.start(PgMajor.LATEST);
                PostgresServer target = PostgresServer.start(PgMajor.LATEST)) {
            OnyxFixture.singleTenant().installInto(source, "onyx");

            Map<String, String> dump = settings(source, "onyx");
            dump.put("FERRY_DUMP_PG_BIN_DIR", pg17.get().toString());
            dump.put("FERRY_DUMP_FORMAT", "directory");
            StepRun dumped = step("dump", dump);
            assertThat(dumped.exitCode()).as(dumped.toString()).isZero();
            Manifest manifest = Workspace.at(workdir).readManifest();
            assertThat(manifest.source().pgDumpVersion()).startsWith("17.");
            assertThat(manifest.dump().compression()).isEqualTo("zstd:1");
            assertThat(manifest.dump().jobs()).isPositive();

            Map<String, String> restore = settings(target, "onyx");
            restore.put("FERRY_RESTORE_PG_BIN_DIR", pg17.get().toString());
            StepRun restored = step("restore", restore);
            assertThat(restored.exitCode()).as(restored.toString()).isZero();
            assertThat(restored.output()).contains("phase=analyze");

            StepRun validated = step("validate", restore);
            assertThat(validated.exitCode()).as(validated.toString()).isZero();
        }
    }

    private Map<String, String> settings(PostgresServer server, String database) {
        Map<String, String> settings =
                DatabaseAccess.superuser(server, database).stepEnvironment();
        settings.put("FERRY_WORKDIR", workdir.toString());
        settings.put("FERRY_RESULTS_DIR", workdir.resolve("results").toString());
        return settings;
    }

    private static StepRun step(String step, Map<String, String> env) {
        return StepProgram.at(PROJECT_ROOT.resolve("steps/" + step + "/target/quarkus-app/quarkus-run.jar"))
                .run(env, Duration.ofMinutes(5));
    }
}
