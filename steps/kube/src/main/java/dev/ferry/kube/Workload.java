package dev.ferry.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What Ferry needs to know about one Deployment or StatefulSet, read at one moment: its desired
 * replicas, labels and annotations (GitOps markers, the recorded original count), pod selector and
 * rollout status. Missing counts are read as Kubernetes defaults them (replicas 1, status 0).
 */
public record Workload(
        WorkloadKind kind,
        String name,
        int replicas,
        Map<String, String> labels,
        Map<String, String> annotations,
        LabelSelector selector,
        long generation,
        long observedGeneration,
        int updatedReplicas,
        int availableReplicas,
        int statusReplicas) {

    /** Annotation holding the replica count freeze found, so unfreeze works even without the workspace. */
    public static final String ORIGINAL_REPLICAS = "ferry.dev/original-replicas";

    public Workload {
        labels = withoutNulls(labels);
        annotations = withoutNulls(annotations);
    }

    public static Workload of(HasMetadata resource) {
        if (resource instanceof Deployment d) {
            var spec = d.getSpec();
            var status = d.getStatus();
            return new Workload(
                    WorkloadKind.DEPLOYMENT,
                    d.getMetadata().getName(),
                    orDefault(spec.getReplicas(), 1),
                    d.getMetadata().getLabels(),
                    d.getMetadata().getAnnotations(),
                    spec.getSelector(),
                    orZero(d.getMetadata().getGeneration()),
                    status == null ? 0 : orZero(status.getObservedGeneration()),
                    status == null ? 0 : orDefault(status.getUpdatedReplicas(), 0),
                    status == null ? 0 : orDefault(status.getAvailableReplicas(), 0),
                    status == null ? 0 : orDefault(status.getReplicas(), 0));
        }
        if (resource instanceof StatefulSet s) {
            var spec = s.getSpec();
            var status = s.getStatus();
            return new Workload(
                    WorkloadKind.STATEFUL_SET,
                    s.getMetadata().getName(),
                    orDefault(spec.getReplicas(), 1),
                    s.getMetadata().getLabels(),
                    s.getMetadata().getAnnotations(),
                    spec.getSelector(),
                    orZero(s.getMetadata().getGeneration()),
                    status == null ? 0 : orZero(status.getObservedGeneration()),
                    status == null ? 0 : orDefault(status.getUpdatedReplicas(), 0),
                    status == null ? 0 : orDefault(status.getAvailableReplicas(), 0),
                    status == null ? 0 : orDefault(status.getReplicas(), 0));
        }
        throw new IllegalArgumentException("not a Deployment or StatefulSet: " + resource.getKind());
    }

    /** The count recorded by an earlier freeze, if the annotation is there and readable. */
    public OptionalInt recordedOriginalReplicas() {
        String value = annotations.get(ORIGINAL_REPLICAS);
        if (value == null) {
            return OptionalInt.empty();
        }
        try {
            int count = Integer.parseInt(value.trim());
            return count >= 0 ? OptionalInt.of(count) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** kind/name, the way logs and messages name a workload. */
    public String id() {
        return kind.kind() + "/" + name;
    }

    /** A key with a null value is absent (what a merge patch with null means). */
    private static Map<String, String> withoutNulls(Map<String, String> map) {
        if (map == null) {
            return Map.of();
        }
        Map<String, String> copy = new java.util.HashMap<>(map);
        copy.values().removeIf(java.util.Objects::isNull);
        return Map.copyOf(copy);
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
