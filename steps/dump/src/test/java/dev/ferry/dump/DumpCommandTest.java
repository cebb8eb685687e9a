package dev.ferry.dump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.testing.InProcessStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dump's exit codes for bad settings, each with the one line a user reads; nothing in the workspace changes. */
class DumpCommandTest {

    @TempDir
    Path workdir;

    Map<String, String> settings(String... overrides) {
        return InProcessStep.with(
                Map.of("FERRY_WORKDIR", workdir.toString(), "POSTGRES_HOST", "127.0.0.1", "POSTGRES_USER", "postgres"),
                overrides);
    }

    InProcessStep.Outcome run(Map<String, String> env) {
        return InProcessStep.run(InProcessStep.configured(new DumpCommand(), env));
    }

    @Test
    void parallelJobsWithTheCustomFormatAreBadConfiguration() {
        InProcessStep.Outcome outcome = run(settings("FERRY_DUMP_JOBS", "2"));

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.lastLine())
                .isEqualTo("step=dump outcome=failed exit=2 (bad configuration): FERRY_DUMP_JOBS=2 "
                        + "needs FERRY_DUMP_FORMAT=directory: pg_dump writes the custom format with one job only");
    }

    @Test
    void aMissingHostIsNamed() {
        Map<String, String> env = settings();
        env.remove("POSTGRES_HOST");

        InProcessStep.Outcome outcome = run(env);

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.lastLine()).endsWith("(bad configuration): POSTGRES_HOST is not set");
    }

    @Test
    void aMigrationIdThatCannotBeAKeyIsRefusedBeforeAnythingIsWritten() throws Exception {
        Files.writeString(workdir.resolve("manifest.json"), "{\"formatVersion\": 1}");

        InProcessStep.Outcome outcome = run(settings("FERRY_MIGRATION_ID", "../escape"));

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.lastLine())
                .endsWith("FERRY_MIGRATION_ID \"../escape\" must be 1-128 letters, digits, '.', '_' or '-', "
                        + "starting with a letter or digit");
        assertThat(workdir.resolve("manifest.json")).hasContent("{\"formatVersion\": 1}");
    }

    @Test
    void aWorkspaceThatCannotBeWrittenIsNamed() throws Exception {
        Path file = Files.writeString(workdir.resolve("not-a-folder"), "x");

        InProcessStep.Outcome outcome =
                run(settings("FERRY_WORKDIR", file.resolve("data").toString()));

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.lastLine())
                .contains("(bad configuration): FERRY_WORKDIR " + file.resolve("data") + " is not writable (");
    }

    @Test
    void aZeroTimeoutIsNamed() {
        InProcessStep.Outcome outcome = run(settings("FERRY_DUMP_TIMEOUT", "PT0S"));

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.lastLine()).endsWith("FERRY_DUMP_TIMEOUT must be longer than zero, e.g. 30s, 5m or PT6H");
    }
}
