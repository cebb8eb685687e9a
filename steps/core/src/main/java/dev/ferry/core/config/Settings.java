package dev.ferry.core.config;

import dev.ferry.core.StepFailure;
import java.util.Optional;

/** Turns an absent required setting into a one-line bad-configuration failure naming its env var. */
public final class Settings {

    private Settings() {
    }

    public static <T> T required(Optional<T> value, String envVar) {
        return value.filter(v -> !(v instanceof String s) || !s.isBlank())
                .orElseThrow(() -> StepFailure.badConfiguration(envVar + " is not set"));
    }
}
