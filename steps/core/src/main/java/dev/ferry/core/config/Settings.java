package dev.ferry.core.config;

import dev.ferry.core.StepFailure;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

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

    /** The most jobs a default gives: each is a database connection, and a pod without a CPU limit sees the node. */
    public static final int MAX_DEFAULT_JOBS = 8;

    /**
     * Parallel jobs: the setting when given (1 or more), else one per CPU this process may use, up to
     * {@link #MAX_DEFAULT_JOBS}. The JVM reads the CPUs from the container's CPU limit (cgroup quota) or
     * cpuset, so a pod limited to 2 CPUs on a 64-core node gets 2, not 64.
     */
    public static int jobs(OptionalInt configured, String envVar) {
        if (configured.isEmpty()) {
            return Math.min(MAX_DEFAULT_JOBS, Runtime.getRuntime().availableProcessors());
        }
        int jobs = configured.getAsInt();
        if (jobs < 1) {
            throw StepFailure.badConfiguration(
                    envVar + " is " + jobs + "; use 1 or more, or leave it unset for one per CPU");
        }
        return jobs;
    }
}
