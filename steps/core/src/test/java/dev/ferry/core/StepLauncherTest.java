package dev.ferry.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StepLauncherTest {

    static String converting(String property, String value, String converterSaid) {
        return "SRCFG00039: The config property " + property + " with the config value \"" + value
                + "\" threw an Exception whilst being converted " + converterSaid;
    }

    @Test
    void aValueThatFailedToConvertIsNamedByItsEnvVarWithWhatIsAllowed() {
        assertThat(StepLauncher.explain(
                        converting("postgres.port", "abc", "SRCFG00029: Expected an integer value, got \"abc\"")))
                .isEqualTo("POSTGRES_PORT is \"abc\": use a whole number");
        assertThat(
                        StepLauncher.explain(
                                converting(
                                        "ferry.dump.format",
                                        "zip",
                                        "SRCFG00049: Cannot convert zip to enum class dev.ferry.core.workspace.DumpFormat, allowed values: custom,directory")))
                .isEqualTo("FERRY_DUMP_FORMAT is \"zip\": use one of custom, directory");
        assertThat(StepLauncher.explain(converting("ferry.dump.timeout", "forever", "Invalid duration: forever")))
                .isEqualTo("FERRY_DUMP_TIMEOUT is \"forever\": use a duration such as 30s, 5m or PT6H");
        assertThat(StepLauncher.explain(converting("ferry.restore.clean", "maybe", "use true or false")))
                .isEqualTo("FERRY_RESTORE_CLEAN is \"maybe\": use true or false");
    }

    @Test
    void otherProblemsLoseTheirErrorCodes() {
        assertThat(StepLauncher.explain(
                        "SRCFG00014: The config property ferry.s3.bucket is required but it could not be found"))
                .isEqualTo(
                        "set FERRY_S3_BUCKET correctly: The config property ferry.s3.bucket is required but it could not be found");
    }

    @Test
    void recognisesConversionFailuresAsConfigurationProblems() {
        Throwable boot = new RuntimeException(
                "boot failed", new IllegalArgumentException("SRCFG00029: Expected an integer value, got \"abc\""));

        assertThat(StepLauncher.isConfigurationProblem(boot)).isTrue();
        assertThat(StepLauncher.isConfigurationProblem(new IllegalStateException("disk full")))
                .isFalse();
    }

    /** A step as the launcher sees it: named after its command class. */
    abstract static class ScaleUpCommand extends StepCommand {}

    @Test
    void aStartUpFailureEndsInOneLineNamingTheStepAndTheCauseWithExit1() {
        Throwable boot = new RuntimeException(
                "Failed to start application",
                new IllegalStateException(
                        "Failed to create cache dir",
                        new java.io.IOException("Read-only file system: /tmp/vertx-cache")));

        assertThat(StepLauncher.exitCode(ScaleUpCommand.class, 1, boot)).isEqualTo(1);
        assertThat(StepLauncher.finalLine(ScaleUpCommand.class, ExitCode.UNEXPECTED, boot))
                .isEqualTo("step=scale-up outcome=failed exit=1 (unexpected failure): could not start: "
                        + "java.io.IOException: Read-only file system: /tmp/vertx-cache");
    }

    @Test
    void aConfigurationProblemAtStartUpStillExits2() {
        Throwable boot = new RuntimeException(
                "boot failed", new IllegalArgumentException("SRCFG00029: Expected an integer value, got \"abc\""));

        assertThat(StepLauncher.exitCode(ScaleUpCommand.class, 1, boot)).isEqualTo(2);
    }

    @Test
    void theStepsOwnExitCodeStandsWhenNothingFailedAtStartUp() {
        assertThat(StepLauncher.exitCode(ScaleUpCommand.class, 4, null)).isEqualTo(4);
    }
}
