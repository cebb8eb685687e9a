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

    /**
     * FERRY_SCALE_UP_GUARD_PIPELINE_RUN: makes this run the unfreeze guard that freeze starts as a Job: it waits
     * until the Tekton PipelineRun {@code <namespace>/<name>} has ended (succeeded, failed, timed out, cancelled,
     * stopped) or is gone, then restores the writers from their annotations unless FERRY_SCALE_UP_GUARD_KEEP_FROZEN_IF
     * holds. Unset: an ordinary scale-up.
     */
    Optional<String> guardPipelineRun();

    /**
     * FERRY_SCALE_UP_GUARD_WORKFLOW: the same for an Argo Workflow, {@code <namespace>/<name>}; its tasks are its
     * nodes' display names.
     */
    Optional<String> guardWorkflow();

    /**
     * FERRY_SCALE_UP_GUARD_KEEP_FROZEN_IF: {@code <pipeline task>:succeeded} (export: {@code upload:succeeded}, the
     * migration is safe in the bucket) or {@code <pipeline task>:started} (cutover: {@code scale-up:started}, the new
     * Onyx is coming up and two live writers would split the data); otherwise the guard unfreezes.
     */
    @WithDefault("upload:succeeded")
    String guardKeepFrozenIf();

    /** FERRY_SCALE_UP_GUARD_WAIT: how long the guard waits for the run to end; then it unfreezes anyway. */
    @WithDefault("48h")
    Duration guardWait();

    /** FERRY_SCALE_UP_GUARD_POLL: how often the guard reads the run's state. */
    @WithDefault("10s")
    Duration guardPoll();
}
