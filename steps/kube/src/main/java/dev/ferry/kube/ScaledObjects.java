package dev.ferry.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The KEDA ScaledObjects of one namespace, and the pause Ferry puts on those that target a frozen
 * writer. KEDA's scale loop keeps a target at its {@code minReplicaCount} (kedacore/keda,
 * pkg/scaling/executor/scale_scaledobjects.go, RequestScale), which would undo a freeze within one
 * polling interval. The annotation {@code autoscaling.keda.sh/paused-replicas: "0"} makes KEDA hold the
 * target at 0 and stop its loop (controllers/keda/scaledobject_controller.go, the paused branch) until
 * the annotation is gone. Ferry marks each pause it adds with {@link #PAUSED_BY_FERRY}, so that
 * unfreezing removes exactly those, also when the workspace with the freeze record is lost, and never
 * an operator's own pause. A cluster without KEDA answers 404 for the resource: no ScaledObjects.
 */
public final class ScaledObjects {

    /** KEDA: scale the target to this count and pause autoscaling. */
    public static final String PAUSED_REPLICAS = "autoscaling.keda.sh/paused-replicas";
    /** KEDA (2.13+): pause autoscaling at the current count. */
    public static final String PAUSED = "autoscaling.keda.sh/paused";
    /** Ferry: the pause annotation on this ScaledObject was added by freeze, and unfreeze removes it. */
    public static final String PAUSED_BY_FERRY = "ferry.dev/paused-by-ferry";

    /** Named in full so no API discovery is needed (and a cluster without KEDA just answers 404). */
    public static final ResourceDefinitionContext RESOURCE =
            CustomResources.namespaced("keda.sh", "v1alpha1", "ScaledObject", "scaledobjects");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One ScaledObject as Ferry sees it: what it scales and how it is paused. */
    public record ScaledObject(String name, String targetKind, String targetName, Map<String, String> annotations) {

        public boolean targets(Workload workload) {
            return workload.kind().kind().equals(targetKind) && workload.name().equals(targetName);
        }

        public boolean pausedByFerry() {
            return "true".equals(annotations.get(PAUSED_BY_FERRY));
        }

        /** The pause its operator set ({@code paused-replicas=N} or {@code paused=true}), if any and not Ferry's. */
        public Optional<String> operatorPause() {
            if (pausedByFerry()) {
                return Optional.empty();
            }
            if (annotations.containsKey(PAUSED_REPLICAS)) {
                return Optional.of(PAUSED_REPLICAS + "=" + annotations.get(PAUSED_REPLICAS));
            }
            if ("true".equalsIgnoreCase(annotations.get(PAUSED))) {
                return Optional.of(PAUSED + "=true");
            }
            return Optional.empty();
        }

        /** Whether the operator's pause already keeps KEDA from scaling the target up from 0. */
        public boolean operatorPauseHoldsZero() {
            String replicas = annotations.get(PAUSED_REPLICAS);
            return replicas == null ? operatorPause().isPresent() : "0".equals(replicas.strip());
        }
    }

    private final KubernetesClient client;
    private final String namespace;

    public ScaledObjects(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** Every ScaledObject in the namespace, in name order; none where KEDA is not installed. */
    public List<ScaledObject> list() {
        try {
            return client.genericKubernetesResources(RESOURCE).inNamespace(namespace).list().getItems().stream()
                    .map(ScaledObjects::of)
                    .sorted(Comparator.comparing(ScaledObject::name))
                    .toList();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return List.of();
            }
            throw e;
        }
    }

    /** Holds the target at 0 replicas and pauses KEDA's loop, marked as Ferry's pause. */
    public void pause(String name) {
        annotate(name, Map.of(PAUSED_REPLICAS, "0", PAUSED_BY_FERRY, "true"));
    }

    /**
     * Removes Ferry's pause: KEDA takes the target over again. A JSON patch that removes exactly the two
     * annotations (RFC 6902 {@code remove}, with {@code /} escaped as {@code ~1}) and fails rather than
     * guesses should they be gone already.
     */
    public void resume(ScaledObject scaledObject) {
        List<Map<String, String>> operations = new ArrayList<>();
        for (String key : List.of(PAUSED_REPLICAS, PAUSED_BY_FERRY)) {
            if (scaledObject.annotations().containsKey(key)) {
                operations.add(Map.of(
                        "op",
                        "remove",
                        "path",
                        "/metadata/annotations/" + key.replace("~", "~0").replace("/", "~1")));
            }
        }
        if (!operations.isEmpty()) {
            patch(scaledObject.name(), PatchType.JSON, operations);
        }
    }

    private void annotate(String name, Map<String, String> annotations) {
        patch(name, PatchType.JSON_MERGE, Map.of("metadata", Map.of("annotations", annotations)));
    }

    private void patch(String name, PatchType type, Object patch) {
        try {
            client.genericKubernetesResources(RESOURCE)
                    .inNamespace(namespace)
                    .withName(name)
                    .patch(PatchContext.of(type), JSON.writeValueAsString(patch));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the patch of ScaledObject " + name, e);
        }
    }

    private static ScaledObject of(GenericKubernetesResource resource) {
        String kind = "Deployment"; // KEDA's default for a scaleTargetRef without a kind
        String target = null;
        if (resource.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
                && spec.get("scaleTargetRef") instanceof Map<?, ?> ref) {
            kind = ref.get("kind") == null ? kind : String.valueOf(ref.get("kind"));
            target = ref.get("name") == null ? null : String.valueOf(ref.get("name"));
        }
        Map<String, String> annotations = resource.getMetadata().getAnnotations();
        return new ScaledObject(
                resource.getMetadata().getName(),
                kind,
                target,
                annotations == null ? Map.of() : Map.copyOf(annotations));
    }
}
