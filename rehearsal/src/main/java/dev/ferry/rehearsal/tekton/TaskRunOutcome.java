package dev.ferry.rehearsal.tekton;

import java.time.Duration;
import java.util.Map;

/**
 * One pipeline task as it ran (or why it did not): its status, the exit code of the step that ended
 * it, how long it took, what its steps printed, the results it wrote and, when it did not succeed,
 * the reason in Tekton's terms (e.g. {@code WhenExpressionsSkip}, {@code PipelineRunStopping}).
 */
public record TaskRunOutcome(
        String pipelineTask,
        TaskStatus status,
        int exitCode,
        Duration duration,
        String output,
        Map<String, String> results,
        String reason) {

    static TaskRunOutcome skipped(String pipelineTask, String reason) {
        return new TaskRunOutcome(pipelineTask, TaskStatus.SKIPPED, 0, Duration.ZERO, "", Map.of(), reason);
    }

    public boolean succeeded() {
        return status == TaskStatus.SUCCEEDED;
    }
}
