package dev.ferry.harness;

import dev.ferry.testing.pg.PostgresServer;
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

    /**
     * The cluster an Onyx install gives the pipelines: Onyx's {@code env-configmap} and {@code onyx-postgresql}
     * pointing at {@code server}'s {@code database}, and {@code ferry-s3} with the bucket's credentials and endpoint.
     */
    public static LocalCluster onyx(
            String namespace, PostgresServer server, String database, Map<String, String> s3Environment) {
        return new LocalCluster(namespace)
                .configMap(
                        "env-configmap",
                        Map.of(
                                "POSTGRES_HOST",
                                server.host(),
                                "POSTGRES_PORT",
                                Integer.toString(server.port()),
                                "POSTGRES_DB",
                                database))
                .secret(
                        "onyx-postgresql",
                        Map.of("username", server.superuser(), "password", server.superuserPassword()))
                .secret(
                        "ferry-s3",
                        Map.of(
                                "AWS_ACCESS_KEY_ID",
                                s3Environment.get("AWS_ACCESS_KEY_ID"),
                                "AWS_SECRET_ACCESS_KEY",
                                s3Environment.get("AWS_SECRET_ACCESS_KEY"),
                                "AWS_ENDPOINT_URL_S3",
                                s3Environment.get("AWS_ENDPOINT_URL_S3")));
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
