package dev.ferry.benchmark;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What each step adds to the follow's outage beyond its JVM's start, by the programs' own accounts, along the path the
 * outage waits on: the drain writing its marker, capture storing the frozen source's final state after the marker's
 * segment, apply proving the target once it has it. Capture and apply run from before the freeze, so no JVM start of
 * theirs is in the window; the drain's is reported beside. The database work each needs is in its share.
 *
 * @param drainStartupSeconds the drain's JVM and framework start, before its work
 * @param drainMarkerSeconds from the drain's work starting to the marker committed on the source
 * @param captureFinalStateSeconds capture reading the frozen source's final state and storing it
 * @param applyProofSeconds apply importing the large objects and proving the target, once the final state is read
 */
record OutageShares(
        double drainStartupSeconds,
        double drainMarkerSeconds,
        double captureFinalStateSeconds,
        double applyProofSeconds) {

    private static final Pattern DRAIN_STARTUP =
            Pattern.compile("step=follow-cutover outcome=done seconds=\\S+ startup_seconds=(\\S+)");
    private static final Pattern DRAIN_MARKER = Pattern.compile("phase=marker .*seconds=(\\S+)");
    private static final Pattern CAPTURE_FINAL_STATE = Pattern.compile("phase=final-state .*seconds=(\\S+)");
    private static final Pattern APPLY_LARGE_OBJECTS = Pattern.compile("phase=large-objects .*seconds=(\\S+)");
    private static final Pattern APPLY_PROOF = Pattern.compile("phase=prove verdict=.*seconds=(\\S+)");

    /** From the drain's, capture's and apply's output. */
    static OutageShares of(String drain, String capture, String apply) {
        return new OutageShares(
                seconds(DRAIN_STARTUP, drain, "the drain's last line"),
                seconds(DRAIN_MARKER, drain, "the drain's marker line"),
                seconds(CAPTURE_FINAL_STATE, capture, "capture's final-state line"),
                seconds(APPLY_LARGE_OBJECTS, apply, "apply's large-objects line")
                        + seconds(APPLY_PROOF, apply, "apply's proof line"));
    }

    private static double seconds(Pattern pattern, String output, String what) {
        Matcher matcher = pattern.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException(what + " has no seconds (" + pattern + "):\n" + output);
        }
        return Double.parseDouble(matcher.group(1));
    }

    String describe() {
        return String.format(
                Locale.ROOT,
                "drain's JVM start %.2f s, drain to its marker %.2f s, capture's final state %.2f s, apply's proof"
                        + " %.2f s",
                drainStartupSeconds,
                drainMarkerSeconds,
                captureFinalStateSeconds,
                applyProofSeconds);
    }
}
