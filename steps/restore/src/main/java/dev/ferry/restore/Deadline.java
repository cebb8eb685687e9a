package dev.ferry.restore;

import dev.ferry.core.StepFailure;
import java.time.Duration;

/** The end of FERRY_RESTORE_TIMEOUT, shared by every part of one restore: past it the step ends with exit 5. */
record Deadline(long atNanos) {

    static Deadline in(Duration timeout) {
        return new Deadline(System.nanoTime() + timeout.toNanos());
    }

    /** What is left of it; none left is exit 5. */
    Duration remaining() {
        long left = atNanos - System.nanoTime();
        if (left <= 0) {
            throw StepFailure.timedOut("the restore did not finish within FERRY_RESTORE_TIMEOUT and was stopped");
        }
        return Duration.ofNanos(left);
    }
}
