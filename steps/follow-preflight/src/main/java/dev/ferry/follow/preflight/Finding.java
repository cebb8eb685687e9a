package dev.ferry.follow.preflight;

/**
 * What one check found: a prerequisite that holds, one worth knowing about, or one that is missing (a
 * refusal). {@code message} is one line a person can act on: a refusal names the fix.
 */
public record Finding(String check, Verdict verdict, String message) {

    /** How a finding weighs: only {@link #REFUSED} keeps a follow from starting. */
    public enum Verdict {
        OK,
        WARNING,
        REFUSED
    }

    public static Finding ok(String check, String message) {
        return new Finding(check, Verdict.OK, message);
    }

    public static Finding warning(String check, String message) {
        return new Finding(check, Verdict.WARNING, message);
    }

    public static Finding refused(String check, String message) {
        return new Finding(check, Verdict.REFUSED, message);
    }

    public boolean refused() {
        return verdict == Verdict.REFUSED;
    }

    /** {@code check=<check> verdict=<verdict>: <message>}, the line the step logs for it. */
    public String line() {
        return "check=" + check + " verdict=" + verdict.name().toLowerCase(java.util.Locale.ROOT) + ": " + message;
    }
}
