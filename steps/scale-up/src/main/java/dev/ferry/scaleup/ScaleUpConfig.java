package dev.ferry.scaleup;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the scale-up step (shared ones: {@code FerryConfig}, {@code KubeConfig}). */
@ConfigMapping(prefix = "ferry.scale-up")
public interface ScaleUpConfig {

    /** Where the counts to restore come from. */
    enum Source {
        /** freeze.json in the workspace, else the manifest's freeze section, else the workloads' annotations. */
        AUTO,
        /** Only freeze.json. */
        FREEZE_FILE,
        /** Only the manifest's freeze section (the new cluster, fed by download). */
        MANIFEST,
        /** Only the {@code ferry.dev/original-replicas} annotations (unfreeze when the workspace is lost). */
        ANNOTATIONS
    }

    /**
     * FERRY_SCALE_UP_FROM: where the recorded counts come from: {@code auto}, {@code freeze-file},
     * {@code manifest} or {@code annotations}.
     */
    @WithDefault("auto")
    Source from();

    /**
     * FERRY_SCALE_UP_REPLICAS: explicit counts that override (or add to) the record, e.g.
     * {@code api-server=3,celery-beat=1}; a key is a full workload name or its unique suffix after a dash.
     */
    Optional<String> replicas();

    /** FERRY_SCALE_UP_TIMEOUT: how long to wait for every rollout to be complete before exit 5. */
    @WithDefault("10m")
    Duration timeout();
}
