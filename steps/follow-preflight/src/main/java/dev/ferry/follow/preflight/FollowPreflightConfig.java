package dev.ferry.follow.preflight;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the follow-preflight step (env vars FERRY_FOLLOW_PREFLIGHT_*); the source comes from POSTGRES_*
 * ({@code PostgresConfig}), the optional target from the TARGET_* settings here.
 */
@ConfigMapping(prefix = "ferry.follow-preflight")
public interface FollowPreflightConfig {

    /**
     * FERRY_FOLLOW_PREFLIGHT_MAX_TRANSACTION_AGE: a write transaction (or prepared transaction) running longer than
     * this is a refusal: creating the replication slot waits until every write transaction running at that moment
     * has ended. Younger ones are listed with their age.
     */
    @WithDefault("5m")
    Duration maxTransactionAge();

    /**
     * FERRY_FOLLOW_PREFLIGHT_VOLUME_SIZE: size of the source's data volume, as Kubernetes writes it (e.g. {@code
     * 10Gi}, Onyx's default PVC) or in bytes. PostgreSQL cannot report its volume's free space; with this set, the
     * databases and the WAL it can measure plus max_slot_wal_keep_size must fit in it (a refusal otherwise). Unset:
     * free space is not checked, and the step says so.
     */
    Optional<String> volumeSize();

    /**
     * FERRY_FOLLOW_PREFLIGHT_TARGET_HOST: the target server, where one process can reach both (it never needs to:
     * the bucket is the bridge). Set, the target's major must be at least the source's, and its role must be able to
     * record replication progress and set session_replication_role. Unset: the target is not checked.
     */
    Optional<String> targetHost();

    /** FERRY_FOLLOW_PREFLIGHT_TARGET_PORT: the target server's port. */
    @WithDefault("5432")
    int targetPort();

    /** FERRY_FOLLOW_PREFLIGHT_TARGET_DB: the target database; unset: the database POSTGRES_DB names. */
    Optional<String> targetDb();

    /** FERRY_FOLLOW_PREFLIGHT_TARGET_USER: role on the target; unset: POSTGRES_USER. */
    Optional<String> targetUser();

    /**
     * FERRY_FOLLOW_PREFLIGHT_TARGET_PASSWORD: its password (from a Secret); never logged. Unset while
     * FERRY_FOLLOW_PREFLIGHT_TARGET_USER is unset too: POSTGRES_PASSWORD.
     */
    Optional<String> targetPassword();

    /** FERRY_FOLLOW_PREFLIGHT_TARGET_SSLMODE: the libpq sslmode for the target; unset: the source's. */
    Optional<String> targetSslmode();
}
