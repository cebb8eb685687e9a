package dev.ferry.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.workspace.Workspace;
import dev.ferry.testing.StepRun;
import dev.ferry.testing.pg.OnyxFixture;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The three programs chained as the import half of a pipeline runs them, each in its own process
 * on one workspace: dump (PostgreSQL 14 source, Debian's pg_dump 15) → restore (into 16) →
 * validate, which must pass. Object storage is the upload/download steps' business and left out.
 */
class DumpRestoreValidateIT {

    static PostgresServer source;
    static PostgresServer target;

    @TempDir
    Path workdir;

    @BeforeAll
    static void start() throws Exception {
        source = PostgresServer.start(PgMajor.SOURCE);
        target = PostgresServer.start(PgMajor.TARGET);
        OnyxFixture.singleTenant().installInto(source, "onyx");
        OnyxFixture.multiTenant().installInto(source, "onyx_mt");
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @ParameterizedTest
    @CsvSource({"onyx, custom, 1, true", "onyx_mt, directory, 2, false"})
    void the_restored_target_passes_validation(String database, String format, int jobs, boolean globals)
            throws Exception {
        StepChain chain = new StepChain(workdir);
        Map<String, String> dumpSettings = chain.on(source, database);
        dumpSettings.put("FERRY_DUMP_FORMAT", format);
        dumpSettings.put("FERRY_DUMP_JOBS", Integer.toString(jobs));
        dumpSettings.put("FERRY_DUMP_GLOBALS", Boolean.toString(globals));
        StepRun dumped = chain.dump(dumpSettings);
        assertThat(dumped.exitCode()).as(dumped.toString()).isZero();

        String restoredDb = "chain_" + database;
        StepRun restored = chain.restore(chain.on(target, restoredDb));
        assertThat(restored.exitCode()).as(restored.toString()).isZero();
        assertThat(restored.output()).contains("format=" + format).contains("database=" + restoredDb + " created=true");

        StepRun validated = chain.validate(chain.on(target, restoredDb));

        assertThat(validated.exitCode()).as(validated.toString()).isZero();
        assertThat(validated.output()).contains("step=validate outcome=done").contains("verdict=passed");
        assertThat(Files.readString(workdir.resolve("report/validation.md")))
                .contains("# Validation passed")
                .contains("**0 mismatches")
                .contains("Migration `" + Workspace.at(workdir).readManifest().migrationId() + "`");
        assertThat(Files.exists(workdir.resolve("report/validation.md"))).isTrue();
    }
}
