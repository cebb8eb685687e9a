package dev.ferry.benchmark;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which step the follow's outage went to, from the programs' own accounts: the drain's JVM start, the drain beyond it
 * (the marker, then the frozen source's final state), capture storing the marker's segment (the drain waits for it),
 * and apply after the drain ended (reading the final state, the proof, its exit). Apply and capture run before the
 * freeze, so no JVM start of theirs is in the window.
 *
 * @param drainStartupSeconds the drain's JVM and framework start, before its work
 * @param drainOwnSeconds the drain's time beyond its start and its wait for capture
 * @param captureSeconds from the marker written to capture's heartbeat saying it stored it, as the drain saw it
 * @param applyAfterDrainSeconds from the drain's exit to apply's: what apply adds once the final state is stored
 */
record OutageShares(
        double drainStartupSeconds, double drainOwnSeconds, double captureSeconds, double applyAfterDrainSeconds) {

    private static final Pattern DRAIN_DONE = Pattern.compile(
            "step=follow-cutover outcome=done seconds=\\S+ startup_seconds=(\\S+) .*waited_seconds=(\\S+)");

    /** From the drain's output and wall time and the outage's end, all from the freeze on. */
    static OutageShares of(String drainOutput, double drainSeconds, double outageSeconds) {
        Matcher done = DRAIN_DONE.matcher(drainOutput);
        if (!done.find()) {
            throw new IllegalStateException(
                    "the drain's last line has no startup_seconds or waited_seconds:\n" + drainOutput);
        }
        double startup = Double.parseDouble(done.group(1));
        double waited = Double.parseDouble(done.group(2));
        return new OutageShares(startup, drainSeconds - startup - waited, waited, outageSeconds - drainSeconds);
    }

    /** The largest of a step's own shares, JVM start left out: what the 0.5 s bound is about. */
    double largestOwnSeconds() {
        return Math.max(drainOwnSeconds, Math.max(captureSeconds, applyAfterDrainSeconds));
    }

    String describe() {
        return String.format(
                Locale.ROOT,
                "drain's JVM start %.2f s, drain beyond it %.2f s, capture storing the marker %.2f s,"
                        + " apply after the drain %.2f s",
                drainStartupSeconds,
                drainOwnSeconds,
                captureSeconds,
                applyAfterDrainSeconds);
    }
}
