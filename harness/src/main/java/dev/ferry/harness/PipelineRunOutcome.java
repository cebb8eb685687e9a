package dev.ferry.harness;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A finished local PipelineRun: its status ({@code Succeeded}, {@code Completed} when tasks were
 * skipped, {@code Failed}), every pipeline task in the order it was considered (finally tasks last)
 * and the pipeline's results.
 */
public record PipelineRunOutcome(String status, List<TaskRunOutcome> taskRuns, Map<String, String> results) {

    public boolean succeeded() {
        return !status.equals("Failed");
    }

    public Optional<TaskRunOutcome> taskRun(String pipelineTask) {
        return taskRuns.stream()
                .filter(run -> run.pipelineTask().equals(pipelineTask))
                .findFirst();
    }

    /** The first TaskRun that failed, if any. */
    public Optional<TaskRunOutcome> firstFailure() {
        return taskRuns.stream()
                .filter(run -> run.status() == TaskStatus.FAILED)
                .findFirst();
    }

    /** The exit code of the first failed step, 0 when nothing failed, 1 when a task failed before any step ran. */
    public int exitCode() {
        return firstFailure()
                .map(run -> run.exitCode() == 0 ? 1 : run.exitCode())
                .orElse(0);
    }

    /** Each pipeline task's status label ({@code Succeeded}, {@code Failed}, {@code Skipped}) in the order above. */
    public Map<String, String> statuses() {
        Map<String, String> statuses = new LinkedHashMap<>();
        taskRuns.forEach(task -> statuses.put(task.pipelineTask(), task.status().label()));
        return statuses;
    }

    /** The run's story for a failed assertion: each task's status and reason, and the output of those that failed. */
    public String describe() {
        StringBuilder text = new StringBuilder("status " + status);
        taskRuns.forEach(task -> text.append("\n")
                .append(task.pipelineTask())
                .append(": ")
                .append(task.status().label())
                .append(" (")
                .append(task.reason())
                .append(")")
                .append(task.succeeded() ? "" : "\n" + task.output()));
        return text.toString();
    }
}
