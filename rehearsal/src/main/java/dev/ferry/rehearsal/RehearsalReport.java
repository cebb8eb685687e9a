package dev.ferry.rehearsal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What a rehearsal measured: each phase's duration and outcome, and where its artifacts lie. */
public record RehearsalReport(List<PhaseResult> phases, Path exportWorkdir, Path importWorkdir) {

    public boolean passed() {
        return !phases.isEmpty() && phases.stream().allMatch(PhaseResult::succeeded) && phases.size() == Rehearsal.STEPS.size();
    }

    /** The exit code of the first failed phase, or 0. */
    public int exitCode() {
        return phases.stream().filter(p -> !p.succeeded()).mapToInt(PhaseResult::exitCode).findFirst().orElse(0);
    }

    public Duration total() {
        return phases.stream().map(PhaseResult::duration).reduce(Duration.ZERO, Duration::plus);
    }

    public Optional<PhaseResult> phase(String step) {
        return phases.stream().filter(p -> p.step().equals(step)).findFirst();
    }

    /** validate's Markdown report, when validate got to write one. */
    public Optional<String> validationMarkdown() {
        Path report = importWorkdir.resolve("report").resolve("validation.md");
        try {
            return Files.isRegularFile(report) ? Optional.of(Files.readString(report)) : Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    /** The phase table printed at the end of a rehearsal. */
    public String phaseTable() {
        StringBuilder table = new StringBuilder("| phase | seconds | exit |\n| --- | ---: | ---: |\n");
        for (PhaseResult phase : phases) {
            table.append(String.format(Locale.ROOT, "| %s | %.1f | %d |%n", phase.step(), seconds(phase.duration()), phase.exitCode()));
        }
        table.append(String.format(Locale.ROOT, "| **total** | %.1f | %d |%n", seconds(total()), exitCode()));
        return table.toString();
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
