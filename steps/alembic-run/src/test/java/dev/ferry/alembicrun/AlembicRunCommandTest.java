package dev.ferry.alembicrun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.testing.InProcessStep;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** alembic-run's bad settings are refused before any Job or process starts, with the one line a user reads. */
class AlembicRunCommandTest {

    @TempDir
    Path workdir;

    InProcessStep.Outcome run(Map<String, String> env) {
        return InProcessStep.run(InProcessStep.configured(new AlembicRunCommand(), env));
    }

    @Test
    void jobModeWithoutAnImageIsBadConfiguration() {
        InProcessStep.Outcome outcome = run(
                Map.of("FERRY_WORKDIR", workdir.toString(), "POSTGRES_HOST", "127.0.0.1", "POSTGRES_USER", "postgres"));

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.lastLine())
                .isEqualTo("step=alembic-run outcome=failed exit=2 (bad configuration): FERRY_ALEMBIC_IMAGE "
                        + "is not set");
    }

    @Test
    void aMissingUserIsNamed() {
        Map<String, String> env = new HashMap<>(Map.of(
                "FERRY_WORKDIR", workdir.toString(), "POSTGRES_HOST", "127.0.0.1", "FERRY_ALEMBIC_MODE", "local"));

        InProcessStep.Outcome outcome = run(env);

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.lastLine()).endsWith("(bad configuration): POSTGRES_USER is not set");
    }
}
