package dev.ferry.kube;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings every step that talks to the Kubernetes API shares (freeze, scale-up, alembic-run). */
@ConfigMapping(prefix = "ferry")
public interface KubeConfig {

    /**
     * FERRY_NAMESPACE: namespace of the Onyx workloads. Unset: the pod's own namespace (service account),
     * or the current namespace of KUBECONFIG outside a cluster.
     */
    Optional<String> namespace();

    /** FERRY_DRY_RUN: print what the step would change (selection, counts, Job) and change nothing. */
    @WithDefault("false")
    boolean dryRun();

    /** FERRY_POLL_INTERVAL: how often the step re-reads pods, rollouts and Jobs while it waits. */
    @WithDefault("2s")
    Duration pollInterval();
}
