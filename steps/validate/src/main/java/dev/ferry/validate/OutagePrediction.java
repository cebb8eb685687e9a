package dev.ferry.validate;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.ferry.core.manifest.PhaseTiming;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How long Onyx is down for a cutover of this migration, part by part, from what the migration's steps
 * measured and what the operator assumes for the parts that did not run.
 *
 * <ul>
 * <li>A step that ran (the timeline's record, program start to end) counts with its measured seconds. The
 * waits between one step's end and the next one's start (a TaskRun's pod being scheduled and started)
 * count too, as one part.</li>
 * <li>A rehearsal runs without a freeze, so Onyx kept writing while it dumped: the rows written after the
 * dump's snapshot are not in its bytes. Each data step is extrapolated to the bytes a frozen cutover
 * moves, at the rate it reached here: its seconds grow by the share those rows add to the source's. Its
 * dump also competed with Onyx's own load, so the prediction leans long rather than short.</li>
 * <li>What a rehearsal or an import cannot measure before validate ends (the freeze's wait for the
 * writers' pods to go, when no freeze ran; alembic-run; scale-up's rollout) is the operator's assumption,
 * shown as such ({@code FERRY_VALIDATE_PREDICT_*}).</li>
 * </ul>
 */
@RegisterForReflection
public record OutagePrediction(List<Part> parts, double seconds, Instant windowStart, double growth) {

    /** The steps inside the outage window, in the order a cutover runs them. */
    static final List<String> WINDOW =
            List.of("freeze", "dump", "upload", "download", "restore", "validate", "alembic-run", "scale-up");

    static final String BETWEEN_STEPS = "between steps";

    /** Where a part's seconds come from. */
    public enum Basis {
        /** measured by this migration's steps */
        MEASURED,
        /** measured here, then scaled to the bytes a frozen cutover moves */
        EXTRAPOLATED,
        /** the operator's assumption for a part that did not run */
        ASSUMED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One part of the outage; {@code startedAt}/{@code endedAt} are null for a part that did not run. */
    @RegisterForReflection
    public record Part(String name, double seconds, Basis basis, long bytes, Instant startedAt, Instant endedAt) {}

    /** What the operator expects of the parts a migration does not measure before validate ends. */
    record Assumptions(Duration freeze, Duration alembic, Duration scaleUp) {}

    /**
     * The prediction from {@code timeline} (the migration's steps so far, validate's own run last), for a
     * source of {@code sourceRows} rows of which {@code rowsWrittenAfter} were written after the dump's
     * snapshot by an Onyx that was not frozen.
     */
    static OutagePrediction of(
            List<PhaseTiming> timeline, long sourceRows, long rowsWrittenAfter, Assumptions assumed) {
        Map<String, PhaseTiming> ran = timeline.stream()
                .filter(t -> WINDOW.contains(t.step()))
                .collect(Collectors.toMap(PhaseTiming::step, Function.identity(), (a, b) -> b));
        boolean frozen = ran.containsKey("freeze");
        double growth = frozen || sourceRows <= 0 ? 1.0 : 1.0 + (double) rowsWrittenAfter / sourceRows;
        List<Part> parts = new ArrayList<>();
        for (String step : WINDOW) {
            PhaseTiming measured = ran.get(step);
            if (measured != null) {
                boolean scaled = growth != 1.0 && !step.equals("freeze");
                parts.add(new Part(
                        step,
                        measured.seconds() * (scaled ? growth : 1.0),
                        scaled ? Basis.EXTRAPOLATED : Basis.MEASURED,
                        measured.bytes(),
                        measured.startedAt(),
                        measured.endedAt()));
            } else {
                assumption(step, assumed)
                        .ifPresent(duration ->
                                parts.add(new Part(step, duration.toMillis() / 1000.0, Basis.ASSUMED, 0, null, null)));
            }
        }
        double waits = waitsBetween(
                WINDOW.stream().map(ran::get).filter(t -> t != null).toList());
        if (waits > 0) {
            parts.add(new Part(BETWEEN_STEPS, waits, Basis.MEASURED, 0, null, null));
        }
        Instant start = WINDOW.stream()
                .map(ran::get)
                .filter(t -> t != null)
                .map(PhaseTiming::startedAt)
                .min(Instant::compareTo)
                .orElse(null);
        return new OutagePrediction(
                List.copyOf(parts), parts.stream().mapToDouble(Part::seconds).sum(), start, growth);
    }

    /** Parts no migration step measured before validate: only those a cutover always has are assumed. */
    private static Optional<Duration> assumption(String step, Assumptions assumed) {
        return switch (step) {
            case "freeze" -> Optional.of(assumed.freeze());
            case "alembic-run" -> Optional.of(assumed.alembic());
            case "scale-up" -> Optional.of(assumed.scaleUp());
            default -> Optional.empty(); // upload/download: a cutover without object storage has none
        };
    }

    /** Idle time between consecutive steps (in start order); overlapping steps add none. */
    private static double waitsBetween(List<PhaseTiming> steps) {
        List<PhaseTiming> byStart = steps.stream()
                .sorted(Comparator.comparing(PhaseTiming::startedAt))
                .toList();
        double waits = 0;
        Instant busyUntil = null;
        for (PhaseTiming step : byStart) {
            if (busyUntil != null && step.startedAt().isAfter(busyUntil)) {
                waits += Duration.between(busyUntil, step.startedAt()).toMillis() / 1000.0;
            }
            busyUntil = busyUntil == null || step.endedAt().isAfter(busyUntil) ? step.endedAt() : busyUntil;
        }
        return waits;
    }

    @JsonIgnore
    public boolean hasAssumptions() {
        return parts.stream().anyMatch(p -> p.basis() == Basis.ASSUMED);
    }

    /** {@code 4 min 07 s}, {@code 1 h 02 min}, {@code 12.4 s}: how a person reads an outage. */
    static String humanDuration(double seconds) {
        if (seconds < 59.95) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long total = Math.round(seconds);
        long hours = total / 3600;
        long minutes = total % 3600 / 60;
        long secs = total % 60;
        if (hours > 0) {
            return String.format(Locale.ROOT, "%d h %02d min", hours, minutes);
        }
        if (minutes > 0) {
            return String.format(Locale.ROOT, "%d min %02d s", minutes, secs);
        }
        return String.format(Locale.ROOT, "%d s", secs);
    }

    /** {@code 4 min 07 s}. */
    @JsonIgnore
    public String human() {
        return humanDuration(seconds);
    }

    /** The parts as one line: {@code freeze 30 s (assumed), dump 3 s, …}. */
    @JsonIgnore
    public String describeParts() {
        return parts.stream()
                .map(p -> p.name() + " " + humanDuration(p.seconds())
                        + (p.basis() == Basis.MEASURED ? "" : " (" + p.basis().label() + ")"))
                .collect(Collectors.joining(", "));
    }
}
