package dev.ferry.testing.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The writer's pace, on a clock the test moves: waits follow the schedule, and a stall is made up only in part. */
class ChangeRateTest {

    private static final long MS = 1_000_000L;

    private final AtomicLong now = new AtomicLong(1_000 * MS);
    private final ChangeRate rate = new ChangeRate(400, now::get);

    @Test
    void waitsUntilTheScheduleHasRoomForTheChangesJustMade() {
        // 400 changes/s: one change is due every 2.5 ms.
        assertThat(rate.committed(1)).isEqualTo(2_500_000L);
        now.addAndGet(2_500_000L);
        assertThat(rate.committed(2)).isEqualTo(5 * MS);
    }

    @Test
    void timeSpentWritingIsPartOfTheWaitNotAddedToIt() {
        now.addAndGet(MS);
        assertThat(rate.committed(1)).isEqualTo(1_500_000L);
    }

    @Test
    void aWriterBehindItsScheduleDoesNotWait() {
        now.addAndGet(100 * MS);
        assertThat(rate.committed(4)).isZero();
        assertThat(rate.committed(36)).isZero();
        // 40 changes in 100 ms is the schedule: the next one waits its own 2.5 ms.
        assertThat(rate.committed(1)).isEqualTo(2_500_000L);
    }

    @Test
    void aStallIsMadeUpForAtMostOneSecond() {
        now.addAndGet(10_000 * MS);
        // Ten seconds behind: 400 changes (one second) go without waiting, the next are paced again.
        assertThat(rate.committed(400)).isZero();
        assertThat(rate.committed(1)).isEqualTo(2_500_000L);
    }

    @Test
    void refusesARateThatIsNotPositive() {
        assertThatThrownBy(() -> new ChangeRate(0, now::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a rate of changes per second must be positive: 0.0");
        assertThat(ChangeRate.perSecond(250).changesPerSecond()).isEqualTo(250.0);
    }
}
