package dev.ferry.follow.capture;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Settings of the follow-capture step (env vars FERRY_FOLLOW_CAPTURE_*); the source is POSTGRES_*, the bucket AWS_*
 * and FERRY_S3_*, the follow's folder FERRY_MIGRATION_ID.
 */
@ConfigMapping(prefix = "ferry.follow-capture")
public interface FollowCaptureConfig {

    /**
     * FERRY_FOLLOW_CAPTURE_SLOT: the logical replication slot (pgoutput) the base copy created with its snapshot
     * exported. Capture streams it and never creates it: a slot without a base copy would follow nothing.
     */
    @WithDefault("ferry_follow")
    String slot();

    /** FERRY_FOLLOW_CAPTURE_PUBLICATION: the publication whose tables the slot decodes. */
    @WithDefault("ferry_follow")
    String publication();

    /** FERRY_FOLLOW_CAPTURE_SEGMENT_MAX_CHANGES: a segment is cut at the first commit once it holds this many changes. */
    @WithDefault("10000")
    int segmentMaxChanges();

    /**
     * FERRY_FOLLOW_CAPTURE_SEGMENT_MAX_BYTES: a segment is cut at the first commit once its values reach about this
     * size (suffix K, M, G): a segment is held in memory until it is stored.
     */
    @WithDefault("8M")
    @WithConverter(MemorySizeConverter.class)
    MemorySize segmentMaxBytes();

    /**
     * FERRY_FOLLOW_CAPTURE_SEGMENT_MAX_AGE: a segment is stored at the latest this long after its first transaction,
     * also while the source is idle: the most a change waits before it is in the bucket, and so, at the cutover, about
     * what apply still has to apply once the marker is stored.
     */
    @WithDefault("1s")
    Duration segmentMaxAge();

    /**
     * FERRY_FOLLOW_CAPTURE_HEARTBEAT_INTERVAL: how often capture writes follow/capture-heartbeat.json (the slot's
     * confirmed position and the source's WAL lag behind it) and logs it with apply's progress.
     */
    @WithDefault("10s")
    Duration heartbeatInterval();

    /**
     * FERRY_FOLLOW_CAPTURE_FINAL_COUNTS: how the final state learns each table's exact rows at the freeze. {@code
     * changes}: the base copy's count (the inventory in the migration's manifest in the bucket, which the import's
     * validate proved on the target) plus the inserts less the deletes capture decoded since, so that neither side
     * counts rows inside the outage; a table the manifest does not list is counted. {@code exact}: count(*) of every
     * table on the frozen source, and apply's proof counts the target's too: inside the outage, in proportion to the
     * database. With no manifest of the follow's base copy in the bucket, every table is counted.
     */
    @WithDefault("changes")
    FinalCounts finalCounts();

    /** Where the final state's row counts come from. */
    enum FinalCounts {
        CHANGES,
        EXACT
    }

    /**
     * FERRY_FOLLOW_CAPTURE_SLOT_BUSY_TIMEOUT: how long to wait for the slot while another connection still holds it
     * (the WAL sender of a capture that was killed or lost with its node ends a moment later) before exit 5.
     */
    @WithDefault("2m")
    Duration slotBusyTimeout();
}
