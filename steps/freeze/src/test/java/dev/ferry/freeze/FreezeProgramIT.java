package dev.ferry.freeze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.StepProgram;
import dev.ferry.testing.StepRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The packaged program, started as a Tekton step starts it: settings only through the environment. */
class FreezeProgramIT {

    private static final Path PROGRAM = Path.of("target", "quarkus-app", "quarkus-run.jar");

    @TempDir
    Path workdir;

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "FERRY_FREEZE_TIMEOUT | soon | use a duration such as 30s, 5m or PT6H",
                "FERRY_FREEZE_IGNORE_GITOPS | maybe | use true or false",
                "FERRY_DRY_RUN | perhaps | use true or false",
                "POSTGRES_PORT | abc | use a whole number"
            })
    void aValueThatCannotBeConvertedIsExit2WithTheOutcomeLineNamingTheEnvVar(
            String envVar, String value, String allowed) {
        StepRun outcome = StepProgram.at(PROGRAM)
                .run(Map.of(envVar, value, "FERRY_WORKDIR", workdir.toString()), Duration.ofMinutes(1));

        assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(2);
        assertThat(outcome.output().lines().reduce((first, second) -> second).orElse(""))
                .isEqualTo("step=freeze outcome=failed exit=2 (bad configuration): " + envVar + " is \"" + value
                        + "\": " + allowed);
        assertThat(outcome.output()).doesNotContain("SRCFG").doesNotContain("Exception");
    }
}
