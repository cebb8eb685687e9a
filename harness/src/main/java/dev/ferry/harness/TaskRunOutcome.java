package dev.ferry.harness;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One pipeline task as it ran (or why it did not): its status, the exit code of the step that ended
 * it, how long it took, what its steps printed, the results it wrote and, when it did not succeed,
 * the reason in Tekton's terms (e.g. {@code WhenExpressionsSkip}, {@code PipelineRunStopping}).
 * {@code undeclaredResults} names the files a step wrote into the results folder that its Task does not
 * declare: Tekton drops them (its entrypoint reads back only the declared names,
 * pkg/entrypoint/entrypointer.go, readResultsFromDisk), so a pipeline can never use them.
 */
public record TaskRunOutcome(
        String pipelineTask,
        TaskStatus status,
        int exitCode,
        Duration duration,
        String output,
        Map<String, String> results,
        String reason,
        List<String> undeclaredResults) {

    public TaskRunOutcome {
        undeclaredResults = undeclaredResults == null ? List.of() : List.copyOf(undeclaredResults);
    }

    public TaskRunOutcome(
            String pipelineTask,
            TaskStatus status,
            int exitCode,
            Duration duration,
            String output,
            Map<String, String> results,
            String reason) {
        this(pipelineTask, status, exitCode, duration, output, results, reason, List.of());
    }

    static TaskRunOutcome skipped(String pipelineTask, String reason) {
        return new TaskRunOutcome(pipelineTask, TaskStatus.SKIPPED, 0, Duration.ZERO, "", Map.of(), reason);
    }

    public boolean succeeded() {
        return status == TaskStatus.SUCCEEDED;
    }
}
