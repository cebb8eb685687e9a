package dev.ferry.restore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.testing.InProcessStep;
import dev.ferry.core.workspace.ArtifactKind;
import dev.ferry.testing.ArtifactFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** restore's refusals before the target is touched, each with the one line a user reads. */
class RestoreCommandTest {

    @TempDir
    Path workdir;

    Map<String, String> settings(String... overrides) {
        return InProcessStep.with(
                Map.of(
                        "FERRY_WORKDIR",
                        workdir.toString(),
                        "POSTGRES_HOST",
                        "127.0.0.1",
                        "POSTGRES_PORT",
                        "1",
                        "POSTGRES_USER",
                        "postgres"),
                overrides);
    }

    InProcessStep.Outcome run(Map<String, String> env) {
        return InProcessStep.run(InProcessStep.configured(new RestoreCommand(), env));
    }

    @Test
    void zeroJobsIsBadConfiguration() {
        InProcessStep.Outcome outcome = run(settings("FERRY_RESTORE_JOBS", "0"));

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.lastLine())
                .isEqualTo("step=restore outcome=failed exit=2 (bad configuration): FERRY_RESTORE_JOBS is 0; "
                        + "use 1 or more, or leave it unset for one per CPU");
    }

    @Test
    void bulkLoadSettingsOutOfRangeAreBadConfigurationNamingTheSetting() {
        assertThat(run(settings("FERRY_RESTORE_PARALLEL_MAINTENANCE_WORKERS", "-1"))
                        .lastLine())
                .endsWith("FERRY_RESTORE_PARALLEL_MAINTENANCE_WORKERS is -1; use 0 to 1024");
        assertThat(run(settings("FERRY_RESTORE_MAINTENANCE_WORK_MEM", "512k")).lastLine())
                .endsWith("FERRY_RESTORE_MAINTENANCE_WORK_MEM must be at least 1M (PostgreSQL's minimum), e.g. 512M");
    }

    @Test
    void withoutAManifestNothingIsRestored() {
        InProcessStep.Outcome outcome = run(settings());

        assertThat(outcome.exitCode()).isEqualTo(4);
        assertThat(outcome.lastLine())
                .endsWith("(verification failed): no manifest at "
                        + workdir.toAbsolutePath().resolve("manifest.json"));
    }

    @Test
    void aManifestOfANewerFormatIsRefusedNamingTheField() throws Exception {
        new ArtifactFixture(workdir, 1)
                .file("dump.pgdump", ArtifactKind.DUMP, 100)
                .writeManifest("m-1", Instant.EPOCH);
        Path manifest = workdir.resolve("manifest.json");
        Files.writeString(
                manifest, Files.readString(manifest).replace("\"formatVersion\" : 1", "\"formatVersion\" : 99"));

        InProcessStep.Outcome outcome = run(settings());

        assertThat(outcome.exitCode()).isEqualTo(4);
        assertThat(outcome.lastLine()).contains("has formatVersion 99; this Ferry reads formatVersion 1 to 1");
    }

    @Test
    void aManifestThatIsNotJsonIsOneLine() throws Exception {
        Files.writeString(workdir.resolve("manifest.json"), "{\"formatVersion\": 1,");

        InProcessStep.Outcome outcome = run(settings());

        assertThat(outcome.exitCode()).isEqualTo(4);
        assertThat(outcome.lastLine())
                .contains("manifest.json is not a valid Manifest: ")
                .doesNotContain("\n");
    }

    @Test
    void aDumpThatDiffersFromItsManifestIsNeverRestored() throws Exception {
        new ArtifactFixture(workdir, 1)
                .file("dump.pgdump", ArtifactKind.DUMP, 100)
                .writeManifest("m-1", Instant.EPOCH);
        Files.write(workdir.resolve("dump.pgdump"), new byte[10]);

        InProcessStep.Outcome outcome = run(settings());

        assertThat(outcome.exitCode()).isEqualTo(4);
        assertThat(outcome.lastLine())
                .contains("does not match its manifest, nothing was restored: dump.pgdump has 10 bytes, "
                        + "the manifest says 100");
    }
}
