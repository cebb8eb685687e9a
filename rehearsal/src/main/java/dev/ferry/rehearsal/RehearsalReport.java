package dev.ferry.rehearsal;

import dev.ferry.harness.PipelineRunOutcome;
import dev.ferry.harness.TaskRunOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What a rehearsal measured: each TaskRun's duration and outcome, and where the import side's files lie. */
public record RehearsalReport(PipelineRunOutcome pipelineRun, Path importWorkdir) {

    public boolean passed() {
        return pipelineRun.status().equals("Succeeded");
    }

    /** The exit code of the first failed step, or 0. */
    public int exitCode() {
        return pipelineRun.exitCode();
    }

    public List<TaskRunOutcome> phases() {
        return pipelineRun.taskRuns();
    }

    public Duration total() {
        return phases().stream().map(TaskRunOutcome::duration).reduce(Duration.ZERO, Duration::plus);
    }

    /** The rehearsal pipeline's {@code predicted-downtime} result, when validate got to write it. */
    public Optional<String> predictedDowntime() {
        return Optional.ofNullable(pipelineRun.results().get("predicted-downtime"))
                .filter(value -> !value.isBlank());
    }

    /** How upload stored the objects ({@code tink-streaming-aead/key-id=…} or {@code none}), when it got to say. */
    public Optional<String> encryption() {
        return pipelineRun
                .taskRun("upload")
                .map(run -> run.results().get("encryption"))
                .filter(value -> !value.isBlank());
    }

    /** validate's Markdown report, when validate got to write one. */
    public Optional<String> validationMarkdown() {
        Path report = importWorkdir.resolve("report").resolve("validation.md");
        try {
            return Files.isRegularFile(report) ? Optional.of(Files.readString(report)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The table printed at the end of a rehearsal: one row per TaskRun of the pipeline. */
    public String phaseTable() {
        StringBuilder table = new StringBuilder("| task | status | seconds | exit |\n| --- | --- | ---: | ---: |\n");
        for (TaskRunOutcome phase : phases()) {
            table.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %.1f | %d |%n",
                    phase.pipelineTask(),
                    phase.status().label(),
                    seconds(phase.duration()),
                    phase.exitCode()));
        }
        table.append(String.format(
                Locale.ROOT, "| **total** | %s | %.1f | %d |%n", pipelineRun.status(), seconds(total()), exitCode()));
        return table.toString();
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
