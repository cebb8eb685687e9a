package dev.ferry.follow.cutover;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Settings of the follow-cutover step (env vars FERRY_FOLLOW_CUTOVER_*); the source is POSTGRES_* (the old cluster's
 * Onyx database), the bucket AWS_* and FERRY_S3_*, the follow's folder FERRY_MIGRATION_ID.
 */
@ConfigMapping(prefix = "ferry.follow-cutover")
public interface FollowCutoverConfig {

    /**
     * FERRY_FOLLOW_CUTOVER_ACTION: {@code check-lag} (before the freeze, read-only) refuses while apply lags, while
     * capture or apply failed or stopped reporting, and prints the predicted drain; {@code drain} (after the freeze)
     * writes the drain marker with every sequence's value and waits until capture stored it and, beside it, what the
     * frozen source looks like (follow/final-state.json, which the new side proves).
     */
    @WithDefault("check-lag")
    Action action();

    /** What the step does. */
    enum Action {
        CHECK_LAG,
        DRAIN
    }

    /**
     * FERRY_FOLLOW_CUTOVER_MAX_LAG: check-lag refuses when apply has this much more of the source's WAL to apply than
     * it applied (what capture stored and apply did not apply yet, plus what capture did not store yet; suffix K, M,
     * G): the drain has to carry it while Onyx is frozen.
     */
    @WithDefault("64M")
    @WithConverter(MemorySizeConverter.class)
    MemorySize maxLag();

    /**
     * FERRY_FOLLOW_CUTOVER_MAX_LAG_TIME: check-lag also refuses when the newest change apply applied is older than
     * this while segments wait (apply's own lag_seconds).
     */
    @WithDefault("60s")
    Duration maxLagTime();

    /**
     * FERRY_FOLLOW_CUTOVER_MAX_REPORT_AGE: capture's heartbeat and apply's progress older than this mean the program
     * is not running (both write every 10 s by default): check-lag and drain refuse.
     */
    @WithDefault("1m")
    Duration maxReportAge();

    /**
     * FERRY_FOLLOW_CUTOVER_MARKER: the drain marker's label, which capture's heartbeat and apply's progress name once
     * they reached it.
     */
    @WithDefault("cutover")
    String marker();

    /**
     * FERRY_FOLLOW_CUTOVER_SLOT: the follow's logical replication slot on the source; drain writes its marker only
     * while the slot is active (capture streaming it), since a marker no capture reads would stop a later one early.
     */
    @WithDefault("ferry_follow")
    String slot();

    /**
     * FERRY_FOLLOW_CUTOVER_PUBLICATION: the follow's publication, which drain reads the slot through to make sure the
     * source took no write after its marker before it commits the cutover.
     */
    @WithDefault("ferry_follow")
    String publication();

    /**
     * FERRY_FOLLOW_CUTOVER_DRAIN_TIMEOUT: how long drain waits for capture's heartbeat to say it stored the marker
     * before exit 5 (Onyx stays frozen meanwhile: unfreeze, or run drain again, which waits again).
     */
    @WithDefault("5m")
    Duration drainTimeout();

    /**
     * FERRY_FOLLOW_CUTOVER_POLL_INTERVAL: how often drain reads capture's heartbeat while it waits for the marker and
     * the final state to be stored.
     */
    @WithDefault("200ms")
    Duration pollInterval();
}
