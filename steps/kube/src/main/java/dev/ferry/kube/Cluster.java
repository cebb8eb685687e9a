package dev.ferry.kube;

import dev.ferry.core.StepFailure;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.function.Supplier;

/**
 * The Kubernetes API as the step's settings name it (in-cluster service account or KUBECONFIG, plus
 * {@code FERRY_NAMESPACE}, {@code FERRY_DRY_RUN}, {@code FERRY_POLL_INTERVAL}): what freeze, scale-up and
 * alembic-run inject. The client is looked up only when first used, so a step that may not need a
 * cluster (alembic-run's local mode) starts without one.
 */
@Singleton
public class Cluster {

    @Inject
    KubeConfig config;

    @Inject
    Instance<KubernetesClient> clients;

    private Supplier<KubernetesClient> client = () -> clients.get();

    /** The cluster a test or a tool hands over itself, with these settings. */
    public static Cluster of(KubeConfig config, KubernetesClient client) {
        Cluster cluster = new Cluster();
        cluster.config = config;
        cluster.client = () -> client;
        return cluster;
    }

    public KubernetesClient client() {
        return client.get();
    }

    /** FERRY_NAMESPACE, else the service account's or the kubeconfig's namespace; none at all is exit 2. */
    public String namespace() {
        // An explicit namespace needs no client: nothing is looked up before the step's own checks ran.
        return config.namespace()
                .filter(s -> !s.isBlank())
                .orElseGet(() -> Namespaces.resolve(config.namespace(), client()));
    }

    public boolean dryRun() {
        return config.dryRun();
    }

    public Polling polling() {
        return new Polling(config.pollInterval());
    }

    /** {@link KubeFailures#explain} for this cluster's namespace; {@code roleFile} is the Role that grants the step its rules. */
    public StepFailure explain(KubernetesClientException e, String roleFile) {
        return KubeFailures.explain(
                e, config.namespace().orElseGet(() -> String.valueOf(client().getNamespace())), roleFile);
    }
}
