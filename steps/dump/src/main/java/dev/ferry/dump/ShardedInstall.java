package dev.ferry.dump;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.StepFailure;
import dev.ferry.core.workspace.JsonCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An Onyx install whose tenants are spread over several databases (ONYX_DB_SHARDS): one export moves one of
 * them, and the tenants of the others would silently stay behind. Refused unless the operator names every
 * other shard as migrated by its own export.
 */
final class ShardedInstall {

    private ShardedInstall() {}

    /**
     * Checks the shards {@code onyx} names against the ones {@code migratedSeparately} lists, for a dump of
     * {@code database}: the shard whose {@code db} override is that database, else the default shard.
     */
    static void check(OnyxShardsConfig onyx, String database, Set<String> migratedSeparately) {
        Map<String, String> shards = shards(onyx);
        if (shards.size() <= 1) {
            return;
        }
        String dumped = shards.entrySet().stream()
                .filter(shard -> shard.getValue().equals(database))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(onyx.defaultShard());
        List<String> missing = new ArrayList<>();
        shards.forEach((name, db) -> {
            if (!name.equals(dumped) && !migratedSeparately.contains(name)) {
                missing.add(name + " (database " + db + ")");
            }
        });
        if (!missing.isEmpty()) {
            throw StepFailure.refused("Onyx is sharded over " + shards.size() + " databases (ONYX_DB_SHARDS) and this"
                    + " export moves only shard " + dumped + " (database " + database + "): the tenants of "
                    + String.join(", ", missing) + " would stay behind. Run one export and import per shard and list"
                    + " the other shards in FERRY_DUMP_SHARDS_MIGRATED_SEPARATELY");
        }
    }

    /** Shard name to its database, the default shard first (its database is the one Onyx's POSTGRES_DB names). */
    static Map<String, String> shards(OnyxShardsConfig onyx) {
        Map<String, String> shards = new LinkedHashMap<>();
        shards.put(onyx.defaultShard(), "Onyx's POSTGRES_DB");
        String json = onyx.shards().map(String::strip).orElse("");
        if (json.isEmpty()) {
            return shards;
        }
        JsonNode overrides;
        try {
            overrides = JsonCodec.mapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw StepFailure.badConfiguration("ONYX_DB_SHARDS is not JSON (" + e.getOriginalMessage()
                    + "): it must be Onyx's object of shard name to connection settings");
        }
        if (!overrides.isObject()) {
            throw StepFailure.badConfiguration(
                    "ONYX_DB_SHARDS must be Onyx's JSON object of shard name to connection settings");
        }
        overrides
                .properties()
                .forEach(shard -> shards.put(
                        shard.getKey(),
                        shard.getValue()
                                .path("db")
                                .asText(shard.getValue().path("database").asText("?"))));
        return shards;
    }
}
