package dev.ferry.alembicrun;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failed alembic run into the message an operator needs. The most common failure after a
 * restore (Onyx issues 2757, 3606) is an image older than the data: alembic cannot find the
 * database's revision among its scripts.
 */
public final class AlembicFailure {

    private static final Pattern UNKNOWN_REVISION = Pattern.compile("Can't locate revision identified by '([^']*)'");
    private static final Pattern ERROR_LINE = Pattern.compile("^\\s*(?:[\\w.]+(?:Error|Exception)|FAILED|ERROR)\\b.*");

    private AlembicFailure() {}

    public static StepFailure explain(String what, String where, List<String> output) {
        for (String line : output) {
            Matcher unknown = UNKNOWN_REVISION.matcher(line);
            if (unknown.find()) {
                return new StepFailure(
                        ExitCode.REFUSED,
                        what + " failed: Can't locate revision identified by '" + unknown.group(1)
                                + "': the database is at a revision " + where
                                + " does not know, so the image is older than the data;"
                                + " run alembic-run with the Onyx backend image of the version that wrote the data, or newer");
            }
        }
        String cause = null;
        for (String line : output) {
            if (ERROR_LINE.matcher(line).matches()) {
                cause = line.strip();
            }
        }
        if (cause == null) {
            cause = output.stream()
                    .filter(l -> !l.isBlank())
                    .reduce((a, b) -> b)
                    .map(String::strip)
                    .orElse("no output");
        }
        return new StepFailure(ExitCode.UNEXPECTED, what + " failed: " + cause);
    }
}
