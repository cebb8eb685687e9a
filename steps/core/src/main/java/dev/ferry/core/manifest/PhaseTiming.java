package dev.ferry.core.manifest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Duration;
import java.time.Instant;

/**
 * When one step of a migration ran, from its program's start to its end, and how many bytes it moved: the
 * raw material of the report's timeline and of the predicted outage. {@code migrationId} is null for
 * freeze, which runs before the migration has an id.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record PhaseTiming(String step, String migrationId, Instant startedAt, Instant endedAt, long bytes) {

    @JsonIgnore
    public Duration duration() {
        return Duration.between(startedAt, endedAt);
    }

    @JsonIgnore
    public double seconds() {
        return duration().toMillis() / 1000.0;
    }
}
