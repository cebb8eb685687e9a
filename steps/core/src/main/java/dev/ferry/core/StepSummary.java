package dev.ferry.core;

import dev.ferry.core.workspace.Workspace;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
    private Timed timed;

    /** Where and for which migration the step's run is recorded in the workspace's timeline, and its bytes. */
    record Timed(Workspace workspace, String migrationId, long bytes) {}

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

    /**
     * Asks for the step's run to be recorded in {@code workspace}'s {@code timeline.json} once it is done: its
     * start, its end and the {@code bytes} it moved, for the report's timeline and the predicted outage.
     */
    public StepSummary timedIn(Workspace workspace, String migrationId, long bytes) {
        this.timed = new Timed(workspace, migrationId, bytes);
        return this;
    }

    Optional<Timed> timed() {
        return Optional.ofNullable(timed);
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
