package dev.ferry.upload;

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

/** upload's exit codes before any byte leaves, each with the one line a user reads. */
class UploadCommandTest {

    @TempDir
    Path workdir;

    Map<String, String> settings(String... overrides) {
        return InProcessStep.with(
                Map.of(
                        "FERRY_WORKDIR",
                        workdir.toString(),
                        "FERRY_S3_BUCKET",
                        "migrations",
                        "AWS_ENDPOINT_URL_S3",
                        "http://127.0.0.1:1",
                        "AWS_ACCESS_KEY_ID",
                        "id",
                        "AWS_SECRET_ACCESS_KEY",
                        "secret"),
                overrides);
    }

    InProcessStep.Outcome run(Map<String, String> env) {
        return InProcessStep.run(InProcessStep.configured(new UploadCommand(), env));
    }

    void dumped() throws Exception {
        new ArtifactFixture(workdir, 7)
                .file("dump.pgdump", ArtifactKind.DUMP, 1000)
                .writeManifest("m-1", Instant.EPOCH);
    }

    @Test
    void withoutAManifestThereIsNothingToTrust() {
        InProcessStep.Outcome outcome = run(settings());

        assertThat(outcome.exitCode()).isEqualTo(4);
        assertThat(outcome.lastLine())
                .isEqualTo("step=upload outcome=failed exit=4 (verification failed): no manifest at "
                        + workdir.toAbsolutePath().resolve("manifest.json"));
    }

    @Test
    void aMigrationIdOtherThanTheManifestsIsBadConfiguration() throws Exception {
        dumped();

        InProcessStep.Outcome outcome = run(settings("FERRY_MIGRATION_ID", "m-2"));

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.lastLine())
                .endsWith("FERRY_MIGRATION_ID is \"m-2\" but manifest.json in FERRY_WORKDIR belongs to "
                        + "migration \"m-1\"");
    }

    @Test
    void anArtifactThatDiffersFromTheManifestIsNeverSent() throws Exception {
        dumped();
        Files.write(workdir.resolve("dump.pgdump"), new byte[1000]);

        InProcessStep.Outcome outcome = run(settings());

        assertThat(outcome.exitCode()).isEqualTo(4);
        assertThat(outcome.lastLine())
                .contains("local artifact dump.pgdump has SHA-256 ")
                .endsWith("; refusing to upload a dump that differs from its manifest");
    }

    @Test
    void aPrefixThatLeavesTheBucketsKeySpaceIsNamed() throws Exception {
        dumped();
        for (String prefix : new String[] {"../x", "a/./b", "a//b", ".."}) {
            InProcessStep.Outcome outcome = run(settings("FERRY_S3_PREFIX", prefix));

            assertThat(outcome.exitCode()).as(prefix).isEqualTo(2);
            assertThat(outcome.lastLine())
                    .as(prefix)
                    .contains("(bad configuration): FERRY_S3_PREFIX \"" + prefix + "\" has an empty");
        }
    }

    @Test
    void aMissingBucketIsNamed() throws Exception {
        dumped();
        Map<String, String> env = settings();
        env.remove("FERRY_S3_BUCKET");

        InProcessStep.Outcome outcome = run(env);

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.lastLine()).endsWith("(bad configuration): FERRY_S3_BUCKET is not set");
    }
}
