package dev.ferry.kube;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition the cluster has to reach (pods gone, rollout done, Job finished) by reading
 * it again every interval until a deadline. Polling rather than watching keeps the RBAC to get/list
 * and survives API-server reconnects without special handling.
 */
public final class Polling {

    private final Duration interval;

    public Polling(Duration interval) {
        this.interval = interval;
    }

    /** True once the condition holds; false when the timeout passed first. */
    public boolean until(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            Thread.sleep(Math.max(1, Math.min(interval.toMillis(), left / 1_000_000)));
        }
    }
}
