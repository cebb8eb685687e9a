package dev.ferry.freeze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.testing.InProcessStep;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** freeze's bad settings are refused before a single workload is touched, with the one line a user reads. */
class FreezeCommandTest {

    @TempDir
    Path workdir;

    @Test
    void waitingForConnectionsWithoutADatabaseIsBadConfiguration() {
        FreezeCommand command = InProcessStep.configured(
                new FreezeCommand(),
                Map.of(
                        "FERRY_WORKDIR",
                        workdir.toString(),
                        "FERRY_NAMESPACE",
                        "onyx",
                        "FERRY_FREEZE_WAIT_CONNECTIONS",
                        "true"));

        InProcessStep.Outcome outcome = InProcessStep.run(command);

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.lastLine())
                .isEqualTo("step=freeze outcome=failed exit=2 (bad configuration): POSTGRES_HOST is not set");
    }
}
