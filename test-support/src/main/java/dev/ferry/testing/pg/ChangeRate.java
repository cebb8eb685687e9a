package dev.ferry.testing.pg;

import java.util.function.LongSupplier;

/**
 * Paces a writer to a fixed number of changes per second: after each commit, how long to wait until the schedule the
 * rate sets has caught up with the changes made so far. A writer that fell behind (the server busy with a restore)
 * makes up at most {@link #CATCH_UP_NANOS} of it in a burst and lets the rest go, so a stall is not followed by a
 * flood that no Onyx would write.
 */
public final class ChangeRate {

    /** The most a writer behind its schedule catches up on at once: one second of changes. */
    static final long CATCH_UP_NANOS = 1_000_000_000L;

    private final double nanosPerChange;
    private final LongSupplier clock;
    /** When the schedule says the next change is due, in the clock's nanoseconds. */
    private long due;

    ChangeRate(double changesPerSecond, LongSupplier clock) {
        if (!(changesPerSecond > 0) || Double.isInfinite(changesPerSecond)) {
            throw new IllegalArgumentException("a rate of changes per second must be positive: " + changesPerSecond);
        }
        this.nanosPerChange = 1e9 / changesPerSecond;
        this.clock = clock;
        this.due = clock.getAsLong();
    }

    /** A schedule of {@code changesPerSecond} starting now. */
    public static ChangeRate perSecond(double changesPerSecond) {
        return new ChangeRate(changesPerSecond, System::nanoTime);
    }

    /** The changes per second this schedule keeps to. */
    public double changesPerSecond() {
        return 1e9 / nanosPerChange;
    }

    /**
     * Counts {@code changes} just committed and returns the nanoseconds to wait before the next transaction: zero
     * when the writer is behind its schedule.
     */
    public long committed(long changes) {
        long now = clock.getAsLong();
        due = Math.max(due, now - CATCH_UP_NANOS) + Math.round(changes * nanosPerChange);
        return Math.max(0, due - now);
    }
}
