package dev.ferry.freeze;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the freeze step (shared ones: {@code FerryConfig}, {@code KubeConfig}, {@code PostgresConfig}). */
@ConfigMapping(prefix = "ferry.freeze")
public interface FreezeConfig {

    /**
     * FERRY_FREEZE_WORKLOADS: comma-separated Deployment/StatefulSet names or globs ({@code *}, {@code ?})
     * to freeze instead of the default Onyx writers, e.g. {@code onyx-api-server,onyx-celery-*}.
     */
    Optional<List<String>> workloads();

    /** FERRY_FREEZE_SELECTOR: a label selector choosing the workloads instead, e.g. {@code app.kubernetes.io/instance=onyx,tier=writer}. */
    Optional<String> selector();

    /** FERRY_FREEZE_IGNORE_GITOPS: freeze even workloads that Argo CD or Flux manage (you paused self-heal yourself). */
    @WithDefault("false")
    boolean ignoreGitops();

    /** FERRY_FREEZE_TIMEOUT: how long to wait for the writers' pods to be gone before exit 5. */
    @WithDefault("5m")
    Duration timeout();

    /**
     * FERRY_FREEZE_WAIT_CONNECTIONS: also wait until pg_stat_activity shows no connection from Onyx's
     * application names ({@code web}, {@code celery_beat}, {@code celery_worker_*}); needs POSTGRES_*.
     */
    @WithDefault("false")
    boolean waitConnections();

    /** FERRY_FREEZE_CONNECTIONS_TIMEOUT: how long to wait for those connections to close before exit 5. */
    @WithDefault("2m")
    Duration connectionsTimeout();

    /**
     * FERRY_FREEZE_GUARD_PIPELINE_RUN: the PipelineRun this freeze belongs to, {@code <namespace>/<name>} (the Task
     * gets it from the Pipeline's {@code $(context.pipelineRun.namespace)/$(context.pipelineRun.name)}): before
     * scaling anything down freeze starts an unfreeze guard Job that brings the writers back when that run ends any
     * other way than FERRY_FREEZE_GUARD_KEEP_FROZEN_IF says, timeouts and cancellations included, which skip
     * {@code finally}. Unset: no guard (a warning says so).
     */
    Optional<String> guardPipelineRun();

    /**
     * FERRY_FREEZE_GUARD_WORKFLOW: the same for an Argo Workflow, {@code <namespace>/<name>} (the template gets it from
     * {@code {{workflow.namespace}}/{{workflow.name}}}): {@code argo terminate} and {@code argo stop} skip onExit.
     */
    Optional<String> guardWorkflow();

    /** FERRY_FREEZE_GUARD_IMAGE: the image the guard runs, Ferry's scale-up image; required with a guard. */
    Optional<String> guardImage();

    /**
     * FERRY_FREEZE_GUARD_KEEP_FROZEN_IF: when the guard leaves the writers frozen: {@code upload:succeeded} for an
     * export, {@code scale-up:started} for a cutover (see FERRY_SCALE_UP_GUARD_KEEP_FROZEN_IF).
     */
    @WithDefault("upload:succeeded")
    String guardKeepFrozenIf();

    /**
     * FERRY_FREEZE_GUARD_SERVICE_ACCOUNT: the guard pod's service account (it reads the run, scales the writers). The
     * guard Job runs in the guarded run's namespace, so this is an account of that namespace.
     */
    @WithDefault("ferry")
    String guardServiceAccount();

    /** FERRY_FREEZE_GUARD_WAIT: how long the guard waits for the run to end before it unfreezes anyway. */
    @WithDefault("48h")
    Duration guardWait();
}
