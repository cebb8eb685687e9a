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
}
