package dev.ferry.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StepLauncherTest {

    @Test
    void namesTheEnvironmentVariableOfAPropertyThatFailedToConvert() {
        String message =
                StepLauncher.withEnvVarName("SRCFG00039: The config property postgres.port with the config value "
                        + "\"abc\" threw an Exception whilst being converted");

        assertThat(message).startsWith("set POSTGRES_PORT correctly: ");
    }

    @Test
    void recognisesConversionFailuresAsConfigurationProblems() {
        Throwable boot = new RuntimeException(
                "boot failed", new IllegalArgumentException("SRCFG00029: Expected an integer value, got \"abc\""));

        assertThat(StepLauncher.isConfigurationProblem(boot)).isTrue();
        assertThat(StepLauncher.isConfigurationProblem(new IllegalStateException("disk full")))
                .isFalse();
    }
}
