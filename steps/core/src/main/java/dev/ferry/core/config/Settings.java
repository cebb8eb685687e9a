package dev.ferry.core.config;

import dev.ferry.core.StepFailure;
import java.time.Duration;
import java.util.Optional;

/** Turns an absent required setting into a one-line bad-configuration failure naming its env var. */
public final class Settings {

    private Settings() {}

    public static <T> T required(Optional<T> value, String envVar) {
        return value.filter(v -> !(v instanceof String s) || !s.isBlank())
                .orElseThrow(() -> StepFailure.badConfiguration(envVar + " is not set"));
    }

    /** A timeout or interval must be longer than zero; the message names the env var and an example. */
    public static Duration positive(Duration value, String envVar) {
        if (value.isNegative() || value.isZero()) {
            throw StepFailure.badConfiguration(envVar + " must be longer than zero, e.g. 30s, 5m or PT6H");
        }
        return value;
    }
}
