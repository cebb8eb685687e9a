package dev.ferry.dump;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * Onyx's own database-sharding settings (since mid-2026), read from the Onyx ConfigMap the dump Task already
 * takes as its environment, so that a dump of one shard knows the others exist.
 */
@ConfigMapping(prefix = "onyx.db")
public interface OnyxShardsConfig {

    /**
     * ONYX_DB_SHARDS: Onyx's JSON object of shard name to connection overrides ({@code {"shard-2": {"db":
     * "onyx_2"}}}); unset means one database holds every tenant.
     */
    Optional<String> shards();

    /** ONYX_DB_DEFAULT_SHARD: the name of Onyx's always-present shard, the one POSTGRES_* point at. */
    @WithDefault("default")
    String defaultShard();
}
