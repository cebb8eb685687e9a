package dev.ferry.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a step reports when it is done, as {@code key=value} fields on its final
 * {@code step=<name> outcome=done} log line: one line a person and {@code grep} can both read, the same
 * shape for every step. Keys are snake_case; values with spaces are quoted.
 */
public final class StepSummary {

    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern PLAIN = Pattern.compile("[^\\s\"=]*");

    private final Map<String, String> fields = new LinkedHashMap<>();

    public static StepSummary of() {
        return new StepSummary();
    }

    public StepSummary with(String key, Object value) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("summary keys are snake_case: " + key);
        }
        fields.put(key, String.valueOf(value));
        return this;
    }

    /** {@code k1=v1 k2="v 2"}; empty for a summary without fields. */
    public String render() {
        StringBuilder line = new StringBuilder();
        fields.forEach((key, value) -> {
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(key)
                    .append('=')
                    .append(
                            PLAIN.matcher(value).matches() && !value.isEmpty()
                                    ? value
                                    : '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"');
        });
        return line.toString();
    }
}
