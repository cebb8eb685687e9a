package dev.ferry.core.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** Settings every step shares: where artifacts live, where results go, which migration this is. */
@ConfigMapping(prefix = "ferry")
public interface FerryConfig {

    /**
     * FERRY_WORKDIR: the workspace folder that holds the dump, globals.sql, manifest.json,
     * freeze.json and report/. In Tekton it is the mounted data workspace.
     */
    @WithDefault("/workspace/data")
    Path workdir();

    /**
     * FERRY_RESULTS_DIR: folder for small results, one file per result (Tekton's /tekton/results).
     * Unset: {@code <FERRY_WORKDIR>/results}.
     */
    Optional<Path> resultsDir();

    /**
     * FERRY_MIGRATION_ID: names the migration; dump generates one when unset and carries it in the
     * manifest, later steps read it from there or resolve it from object storage.
     */
    Optional<String> migrationId();

    default Path effectiveResultsDir() {
        return resultsDir().orElse(workdir().resolve("results"));
    }
}
