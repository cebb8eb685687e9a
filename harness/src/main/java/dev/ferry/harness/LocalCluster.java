package dev.ferry.harness;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the pipelines expect to find on the cluster, held locally: the namespace, the ConfigMaps and
 * Secrets (plain text values) that {@code envFrom} and {@code valueFrom} name, and the kubeconfig of
 * the Kubernetes API the steps talk to (a test's mock server), if any.
 */
public final class LocalCluster {

    private final String namespace;
    private final Map<String, Map<String, String>> configMaps = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> secrets = new LinkedHashMap<>();
    private Path kubeconfig;

    public LocalCluster(String namespace) {
        this.namespace = namespace;
    }

    public LocalCluster configMap(String name, Map<String, String> data) {
        configMaps.put(name, Map.copyOf(data));
        return this;
    }

    public LocalCluster secret(String name, Map<String, String> data) {
        secrets.put(name, Map.copyOf(data));
        return this;
    }

    /** The kubeconfig every step gets as KUBECONFIG, standing in for the in-cluster service account. */
    public LocalCluster kubeconfig(Path file) {
        this.kubeconfig = file;
        return this;
    }

    public String namespace() {
        return namespace;
    }

    Optional<Map<String, String>> configMap(String name) {
        return Optional.ofNullable(configMaps.get(name));
    }

    Optional<Map<String, String>> secret(String name) {
        return Optional.ofNullable(secrets.get(name));
    }

    Optional<Path> kubeconfig() {
        return Optional.ofNullable(kubeconfig);
    }
}
