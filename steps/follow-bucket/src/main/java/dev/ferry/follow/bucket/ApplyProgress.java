package dev.ferry.follow.bucket;

import java.time.Instant;

/**
 * What apply last said about itself, in {@code follow/apply-progress.json}, so the old side (capture, a cutover that
 * must not freeze while apply lags) can see it without reaching the new cluster: how far the target's replication
 * origin has applied, how many stored segments wait, and how old the newest applied change is while some wait.
 */
public record ApplyProgress(
        String format,
        String origin,
        Instant at,
        State state,
        String appliedUpTo,
        String lastSegment,
        Instant lastCommitAt,
        double lagSeconds,
        int pendingSegments,
        int applied,
        int skipped,
        String marker,
        String error) {

    public static final String FORMAT = "ferry-follow-apply-progress/1";

    /** Where apply is. */
    public enum State {
        /** Polling the bucket and applying. */
        FOLLOWING,
        /** Applied the segment holding the drain marker and ended. */
        DRAINED,
        /** Stopped from outside (SIGTERM); a restart goes on from the replication origin. */
        STOPPED,
        /** Refused or failed; {@code error} says why. */
        FAILED
    }
}
