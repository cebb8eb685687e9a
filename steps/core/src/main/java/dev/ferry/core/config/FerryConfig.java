package dev.ferry.core.config;

import dev.ferry.core.workspace.MigrationId;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Settings every step shares: where artifacts live, where results go, which migration this is. */
@ConfigMapping(prefix = "ferry")
public interface FerryConfig {

    /**
     * FERRY_WORKDIR: the workspace folder (Tekton's data workspace, an Argo volume) holding the dump,
     * globals.sql, manifest.json, freeze.json, restore.json, alembic.json and report/. It must be writable.
     */
    @WithDefault("/workspace/data")
    Path workdir();

    /**
     * FERRY_RESULTS_DIR: folder for small results, one file per result (Tekton's /tekton/results).
     * Unset: {@code <FERRY_WORKDIR>/results}.
     */
    Optional<Path> resultsDir();

    /**
     * FERRY_MIGRATION_ID: names the migration: 1-128 letters, digits, '.', '_' or '-'. dump gives it to the
     * new dump (unset: {@code <database>-<UTC time>}); upload checks it against the manifest; download
     * fetches it (unset: the newest complete migration); alembic-run names its Job after it; the other
     * steps read the id from the manifest.
     */
    Optional<String> migrationId();

    /**
     * FERRY_PROGRESS_INTERVAL: how often a progress line (bytes, percent, rate, ETA) is logged during a
     * long transfer: pg_dump's output, an upload or download, pg_restore.
     */
    @WithDefault("5s")
    Duration progressInterval();

    /** FERRY_PROGRESS_INTERVAL, checked: zero or negative is exit 2 naming the variable. */
    default Duration checkedProgressInterval() {
        return Settings.positive(progressInterval(), "FERRY_PROGRESS_INTERVAL");
    }

    /** FERRY_MIGRATION_ID when set (blank counts as unset), checked against the id rule: exit 2 naming it. */
    default Optional<String> givenMigrationId() {
        return MigrationId.fromSetting(migrationId());
    }

    /**
     * FERRY_WORKSPACE_CLAIM: the PersistentVolumeClaim behind FERRY_WORKDIR as Tekton names it ({@code
     * $(workspaces.data.claim)}), empty for an emptyDir or any other volume.
     */
    Optional<String> workspaceClaim();

    /**
     * FERRY_WORKSPACE_MUST_PERSIST: refuse (exit 2, before anything changes) a workspace without a claim: an emptyDir,
     * the Start dialog's default "Empty Directory", is lost between tasks, so an export would freeze Onyx and then
     * find no dump to upload. The first task of every Ferry Pipeline sets it.
     */
    @WithDefault("false")
    boolean workspaceMustPersist();

    /** FERRY_WORKSPACE_MUST_PERSIST's check: one line naming what to choose instead. */
    default void refuseEphemeralWorkspace() {
        if (workspaceMustPersist()
                && workspaceClaim().filter(claim -> !claim.isBlank()).isEmpty()) {
            throw dev.ferry.core.StepFailure.badConfiguration("the data workspace is no PersistentVolumeClaim"
                    + " (FERRY_WORKSPACE_CLAIM is empty: an emptyDir, the Start dialog's \"Empty Directory\"), whose"
                    + " files are lost between tasks: start the run again with VolumeClaimTemplate (or an existing"
                    + " PersistentVolumeClaim) for the workspace data");
        }
    }

    default Path effectiveResultsDir() {
        return resultsDir().orElse(workdir().resolve("results"));
    }
}
