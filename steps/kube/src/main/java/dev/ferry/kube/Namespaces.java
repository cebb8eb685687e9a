package dev.ferry.kube;

import dev.ferry.core.StepFailure;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/** Picks the namespace a step works in: the explicit setting, else the one the client was configured with. */
public final class Namespaces {

    private Namespaces() {}

    /**
     * The fabric8 client already reads the service account's namespace file in a pod and the
     * kubeconfig's current context outside one, so its namespace is the right default.
     */
    public static String resolve(Optional<String> explicit, KubernetesClient client) {
        return explicit.filter(s -> !s.isBlank())
                .or(() -> Optional.ofNullable(client.getNamespace()).filter(s -> !s.isBlank()))
                .orElseThrow(() -> StepFailure.badConfiguration(
                        "FERRY_NAMESPACE is not set and neither a service account nor KUBECONFIG names a namespace"));
    }
}
