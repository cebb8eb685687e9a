package dev.ferry.harness;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Tekton timeouts are Go durations ({@code 6h15m}, {@code 45m}, {@code 90s}); this reads the units they use. */
final class GoDuration {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|m|s|ms)");

    private GoDuration() {}

    static Duration parse(String text) {
        // Go's time.ParseDuration takes a bare "0" (and only that number) without a unit.
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        Matcher matcher = PART.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            double amount = Double.parseDouble(matcher.group(1));
            long millis = switch (matcher.group(2)) {
                case "h" -> (long) (amount * 3_600_000);
                case "m" -> (long) (amount * 60_000);
                case "s" -> (long) (amount * 1000);
                default -> (long) amount;
            };
            total = total.plusMillis(millis);
            end = matcher.end();
        }
        if (end != text.length() || text.isEmpty()) {
            throw new IllegalArgumentException("not a Go duration: " + text);
        }
        return total;
    }
}
