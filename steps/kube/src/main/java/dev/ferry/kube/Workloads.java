package dev.ferry.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Deployments and StatefulSets of one namespace, through the Kubernetes API: read them, scale
 * them through the {@code /scale} subresource (what {@code kubectl scale} does, so no other field
 * of the spec is rewritten), and set or clear Ferry's annotations with a JSON merge patch.
 */
public final class Workloads {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Comparator<Workload> BY_NAME = Comparator.comparing(Workload::name);

    private final KubernetesClient client;
    private final String namespace;

    public Workloads(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    public String namespace() {
        return namespace;
    }

    /** Every Deployment, then every StatefulSet, each in name order. */
    public List<Workload> list() {
        List<Workload> all = new ArrayList<>();
        client.apps().deployments().inNamespace(namespace).list().getItems().stream()
                .map(Workload::of)
                .sorted(BY_NAME)
                .forEach(all::add);
        client.apps().statefulSets().inNamespace(namespace).list().getItems().stream()
                .map(Workload::of)
                .sorted(BY_NAME)
                .forEach(all::add);
        return all;
    }

    /** Like {@link #list()}, filtered by the API server with a label selector ({@code app in (a,b),tier!=web}). */
    public List<Workload> list(String labelSelector) {
        List<Workload> all = new ArrayList<>();
        client.apps().deployments().inNamespace(namespace).withLabelSelector(labelSelector).list().getItems().stream()
                .map(Workload::of)
                .sorted(BY_NAME)
                .forEach(all::add);
        client.apps().statefulSets().inNamespace(namespace).withLabelSelector(labelSelector).list().getItems().stream()
                .map(Workload::of)
                .sorted(BY_NAME)
                .forEach(all::add);
        return all;
    }

    public Optional<Workload> find(WorkloadKind kind, String name) {
        HasMetadata found = resource(kind, name).get();
        return Optional.ofNullable(found).map(Workload::of);
    }

    /** Sets the desired replicas through the scale subresource. */
    public void scale(WorkloadKind kind, String name, int replicas) {
        resource(kind, name).scale(replicas);
    }

    /** Sets annotations; a null value removes that annotation (JSON merge patch semantics). */
    public void annotate(WorkloadKind kind, String name, Map<String, String> annotations) {
        Map<String, Object> patch = Map.of("metadata", Map.of("annotations", new LinkedHashMap<>(annotations)));
        try {
            resource(kind, name).patch(PatchContext.of(PatchType.JSON_MERGE), JSON.writeValueAsString(patch));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode annotation patch", e);
        }
    }

    /** The pods the workload's selector matches: the ones that must be gone (freeze) or ready (scale-up). */
    public List<Pod> pods(Workload workload) {
        if (workload.selector() == null) {
            return List.of();
        }
        return client.pods()
                .inNamespace(namespace)
                .withLabelSelector(workload.selector())
                .list()
                .getItems();
    }

    private Resource<? extends HasMetadata> resource(WorkloadKind kind, String name) {
        return switch (kind) {
            case DEPLOYMENT ->
                client.apps().deployments().inNamespace(namespace).withName(name);
            case STATEFUL_SET ->
                client.apps().statefulSets().inNamespace(namespace).withName(name);
        };
    }
}
