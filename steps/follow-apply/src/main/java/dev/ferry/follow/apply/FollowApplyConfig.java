package dev.ferry.follow.apply;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the follow-apply step (env vars FERRY_FOLLOW_APPLY_*); the target is POSTGRES_* (the new cluster's
 * Onyx database), the bucket AWS_* and FERRY_S3_*, the follow's folder FERRY_MIGRATION_ID.
 */
@ConfigMapping(prefix = "ferry.follow-apply")
public interface FollowApplyConfig {

    /**
     * FERRY_FOLLOW_APPLY_ORIGIN: the replication origin on the target that records, in the same commit as the rows,
     * the end of the last segment applied: what makes a replayed segment a no-op and a restart go on where it was.
     */
    @WithDefault("ferry_follow")
    String origin();

    /**
     * FERRY_FOLLOW_APPLY_POLL_INTERVAL: how long apply waits before listing the bucket again when nothing is new. A
     * poll lists only the names after the last segment seen (one request); at the cutover this is the most the drain
     * marker's segment waits in the bucket before apply takes it.
     */
    @WithDefault("500ms")
    Duration pollInterval();

    /**
     * FERRY_FOLLOW_APPLY_PROGRESS_INTERVAL: how often apply writes follow/apply-progress.json (applied position,
     * segments waiting, lag) for the old side to read; also when it ends.
     */
    @WithDefault("10s")
    Duration progressInterval();

    /**
     * FERRY_FOLLOW_APPLY_START_LSN: an override of where the base copy on the target was taken (the slot's consistent
     * point, e.g. {@code 0/1BB9ED0}); used only while the origin has recorded nothing. Unset: the consistent point the
     * migration's manifest in the bucket records (dump in follow mode wrote it), or, with no manifest there, the first
     * segment's {@code previousEnd}.
     */
    Optional<String> startLsn();

    /**
     * FERRY_FOLLOW_APPLY_PROVE: once the drain marker's segment is applied, wait for follow/final-state.json (the
     * cutover's drain writes it) and prove the target matches the frozen source: every row touched since the snapshot
     * by its digest, row counts, sequences, schema objects and alembic_version; exit 4 naming what differs.
     * false skips the proof (the drain's commit is still awaited).
     */
    @WithDefault("true")
    boolean prove();

    /**
     * FERRY_FOLLOW_APPLY_FINAL_STATE_TIMEOUT: how long apply waits, after the marker, for capture to store
     * follow/final-state.json, and then for the cutover's drain to commit the cutover
     * (follow/cutover-committed.json), each before exit 5. Apply ends with 0, and the new cluster scales up, only
     * after the commit: until then the old cluster may be unfrozen.
     */
    @WithDefault("10m")
    Duration finalStateTimeout();
}
