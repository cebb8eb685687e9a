package dev.ferry.follow.abandon;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the follow-abandon step (env vars FERRY_FOLLOW_ABANDON_*); the source is POSTGRES_*, the bucket AWS_*
 * and FERRY_S3_*, the follow's folder FERRY_MIGRATION_ID.
 */
@ConfigMapping(prefix = "ferry.follow-abandon")
public interface FollowAbandonConfig {

    /** Why the follow ends: what the log and capture's heartbeat say; the source is cleaned up the same way. */
    enum Reason {
        /** Given up: apply on the new cluster stops with exit 3 (heartbeat ABANDONED). */
        ABANDON,
        /** The clean-up after a successful cutover (heartbeat FINISHED). */
        FINISHED
    }

    /** FERRY_FOLLOW_ABANDON_SLOT: the follow's logical replication slot, dropped. */
    @WithDefault("ferry_follow")
    String slot();

    /**
     * FERRY_FOLLOW_ABANDON_PUBLICATION: the follow's publication, dropped in the transaction that puts back the replica
     * identities its comment records.
     */
    @WithDefault("ferry_follow")
    String publication();

    /**
     * FERRY_FOLLOW_ABANDON_REASON: {@code abandon} (give the follow up; apply on the new cluster stops with exit 3) or
     * {@code finished} (the clean-up at the end of a successful cutover). Only the log and the heartbeat differ.
     */
    @WithDefault("abandon")
    Reason reason();

    /**
     * FERRY_FOLLOW_ABANDON_SENDER_TIMEOUT: how long to wait for the slot to be let go once its WAL sender (a capture
     * still streaming) is terminated, before exit 5.
     */
    @WithDefault("1m")
    Duration senderTimeout();

    /**
     * FERRY_FOLLOW_ABANDON_WHEN_STALE: set, the program is the follow's slot guard (long-running): it abandons the
     * follow once capture's heartbeat has not changed for this long (or the bucket could not be read for this long,
     * or the heartbeat says ABANDONED) while the slot exists, and ends with exit 0 as soon as the slot is gone. Unset:
     * abandon once, now.
     */
    Optional<Duration> whenStale();

    /** FERRY_FOLLOW_ABANDON_POLL_INTERVAL: how often the guard reads the slot and capture's heartbeat. */
    @WithDefault("30s")
    Duration pollInterval();

    /**
     * FERRY_FOLLOW_ABANDON_ARM_GUARD: {@code true} with FERRY_FOLLOW_ABANDON_WHEN_STALE: do not guard here, but start
     * the guard as a Kubernetes Job of its own (this image, in FERRY_NAMESPACE) and end, so it outlives the run that
     * armed it; a Job already there for this follow is kept. Capture's Task does this before it streams.
     */
    @WithDefault("false")
    boolean armGuard();

    /** FERRY_FOLLOW_ABANDON_GUARD_IMAGE: the image the guard Job runs, Ferry's follow-abandon image; required to arm. */
    Optional<String> guardImage();

    /**
     * FERRY_FOLLOW_ABANDON_GUARD_SERVICE_ACCOUNT: the guard pod's service account. The guard talks only to PostgreSQL
     * and the bucket, so its token is not mounted.
     */
    @WithDefault("ferry")
    String guardServiceAccount();

    /** FERRY_FOLLOW_ABANDON_GUARD_POSTGRES_CONFIGMAP: ConfigMap the guard takes POSTGRES_HOST/PORT/DB from. */
    @WithDefault("env-configmap")
    String guardPostgresConfigmap();

    /** FERRY_FOLLOW_ABANDON_GUARD_POSTGRES_SECRET: Secret the guard takes the Postgres user and password from. */
    @WithDefault("onyx-postgresql")
    String guardPostgresSecret();

    /** FERRY_FOLLOW_ABANDON_GUARD_POSTGRES_USER_KEY: key of the user name in that Secret. */
    @WithDefault("username")
    String guardPostgresUserKey();

    /** FERRY_FOLLOW_ABANDON_GUARD_POSTGRES_PASSWORD_KEY: key of the password in that Secret. */
    @WithDefault("password")
    String guardPostgresPasswordKey();

    /** FERRY_FOLLOW_ABANDON_GUARD_S3_SECRET: Secret whose keys (AWS_*) become the guard's environment as they are. */
    @WithDefault("ferry-s3")
    String guardS3Secret();
}
