package dev.ferry.download;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.testing.InProcessStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** download's exit codes before it fetches anything, each with the one line a user reads. */
class DownloadCommandTest {

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
        return InProcessStep.run(InProcessStep.configured(new DownloadCommand(), env));
    }

    @Test
    void anInvalidMigrationIdIsNamedAndTheWorkspaceIsLeftAlone() throws Exception {
        Files.writeString(workdir.resolve("manifest.json"), "{}");

        InProcessStep.Outcome outcome = run(settings("FERRY_MIGRATION_ID", "a/b"));

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.lastLine())
                .isEqualTo("step=download outcome=failed exit=2 (bad configuration): FERRY_MIGRATION_ID "
                        + "\"a/b\" must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        assertThat(workdir.resolve("manifest.json")).exists();
    }

    @Test
    void aWorkspaceThatCannotBeWrittenIsNamed() throws Exception {
        Path file = Files.writeString(workdir.resolve("not-a-folder"), "x");

        InProcessStep.Outcome outcome = run(settings("FERRY_WORKDIR", file.toString()));

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.lastLine()).contains("(bad configuration): FERRY_WORKDIR " + file + " is not writable (");
    }

    @Test
    void halfACredentialPairIsNamed() {
        Map<String, String> env = settings();
        env.remove("AWS_SECRET_ACCESS_KEY");

        InProcessStep.Outcome outcome = run(env);

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.lastLine())
                .endsWith("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both, or neither "
                        + "to use a role");
    }
}
