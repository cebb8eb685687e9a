package dev.ferry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.testing.InProcessStep;
import org.junit.jupiter.api.Test;

class StepCommandTest {

    static StepCommand step(ThrowingStep work) {
        return new StepCommand() {
            @Override
            protected String stepName() {
                return "example";
            }

            @Override
            protected StepSummary execute(String... args) throws Exception {
                return work.run();
            }
        };
    }

    interface ThrowingStep {
        StepSummary run() throws Exception;
    }

    @Test
    void aDoneStepEndsWithItsSummaryOnTheOutcomeLine() {
        InProcessStep.Outcome outcome = InProcessStep.run(
                step(() -> StepSummary.of().with("migration", "m-1").with("report", "/work/report/validation md")));

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.lastLine())
                .matches("step=example outcome=done seconds=\\d+\\.\\d startup_seconds=\\d+\\.\\d\\d migration=m-1 "
                        + "report=\"/work/report/validation md\"");
    }

    @Test
    void aStepFailureEndsWithItsExitCodeMeaningAndMessage() {
        InProcessStep.Outcome outcome = InProcessStep.run(step(() -> {
            throw StepFailure.refused("target database \"onyx\" already holds 3 user tables");
        }));

        assertThat(outcome.exitCode()).isEqualTo(3);
        assertThat(outcome.lastLine())
                .isEqualTo("step=example outcome=failed exit=3 (refused by a safety precondition): "
                        + "target database \"onyx\" already holds 3 user tables");
    }

    @Test
    void anythingElseIsAnUnexpectedFailure() {
        InProcessStep.Outcome outcome = InProcessStep.run(step(() -> {
            throw new IllegalStateException("boom");
        }));

        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.lastLine())
                .startsWith("step=example outcome=failed exit=1 (unexpected failure): ")
                .contains("boom");
    }

    @Test
    void summaryKeysAreSnakeCase() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> StepSummary.of().with("large-objects", 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static class ScaleUpCommand extends StepCommand {
        @Override
        protected StepSummary execute(String... args) {
            return StepSummary.of();
        }
    }

    static class GeneratedSubclass extends ScaleUpCommand {}

    @Test
    void theStepIsNamedAfterItsCommandClassInKebabCase() {
        assertThat(new ScaleUpCommand().stepName()).isEqualTo("scale-up");
        assertThat(new GeneratedSubclass().stepName()).isEqualTo("scale-up");
        assertThat(InProcessStep.run(new ScaleUpCommand()).lastLine()).startsWith("step=scale-up outcome=done");
    }
}
