package dev.ferry.freeze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.StepProgram;
import dev.ferry.testing.StepRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged program, started as a Tekton step starts it: settings only through the environment. */
class FreezeProgramIT {

    private static final Path PROGRAM = Path.of("target", "quarkus-app", "quarkus-run.jar");

    @TempDir
    Path workdir;

    @Test
    void aMalformedTimeoutIsExit2NamingTheEnvVar() {
        StepRun outcome = StepProgram.at(PROGRAM)
                .run(
                        Map.of("FERRY_FREEZE_TIMEOUT", "soon", "FERRY_WORKDIR", workdir.toString()),
                        Duration.ofMinutes(1));

        assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(2);
        assertThat(outcome.output()).contains("ferry: bad configuration: set FERRY_FREEZE_TIMEOUT correctly");
    }
}
