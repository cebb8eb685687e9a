package dev.ferry.benchmark;

import java.util.Locale;

/**
 * What one follow run measured, at one size of the fixture: the outage from the freeze (the writer stops) to the
 * follow proven and ready to scale up, against the runbook's window on the same data in the same run, the changes
 * still to apply at the freeze and the rate apply applied them at.
 *
 * @param chatMessages the fixture's size as FERRY_BENCH_CHAT_MESSAGES set it
 * @param databaseBytes the source database's size
 * @param outageSeconds from the freeze to the follow proof passing
 * @param runbookWindowSeconds {@code pg_dump -Fc -Z 6}, {@code aws s3 cp} up and down and {@code pg_restore} (without
 *     the transfers where the AWS CLI is missing, as the benchmark's header says)
 * @param pending changes committed before the freeze and not applied on the target at that moment
 * @param applyRate changes per second while apply applied, by its own account
 * @param writerRate the changes per second the writer kept to, measured over the whole follow
 * @param followSeconds how long capture and apply followed before the freeze: FERRY_BENCH_FOLLOW_SECONDS, and longer
 *     where check-lag refused to freeze until apply caught up
 * @param shares what each step added to the outage beyond its JVM start
 */
record FollowResult(
        int chatMessages,
        long databaseBytes,
        double outageSeconds,
        double runbookWindowSeconds,
        long pending,
        double applyRate,
        double writerRate,
        double followSeconds,
        OutageShares shares) {

    /** The outage against the runbook's window. */
    double ratio() {
        return outageSeconds / runbookWindowSeconds;
    }

    /** The one line the benchmark prints per size. */
    String line() {
        return String.format(
                Locale.ROOT,
                "follow: db=%.0f outage=%.2f runbook_window=%.2f ratio=%.3f pending=%d apply_rate=%.0f/s",
                databaseBytes / 1e6,
                outageSeconds,
                runbookWindowSeconds,
                ratio(),
                pending,
                applyRate);
    }
}
