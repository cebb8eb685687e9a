package dev.ferry.freeze;

import dev.ferry.kube.Workload;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Finds autoscalers aimed at a workload: an HPA stops acting at 0 replicas, but KEDA scales a
 * ScaledObject's target up from 0 when its trigger fires, undoing the freeze. These are warnings,
 * not refusals: the operator decides (KEDA: annotate {@code autoscaling.keda.sh/paused-replicas: "0"}).
 */
public final class AutoscalerCheck {

    private static final Logger LOG = Logger.getLogger(AutoscalerCheck.class);

    /** Named in full so no API discovery is needed (and a cluster without KEDA just answers 404). */
    static final ResourceDefinitionContext KEDA_SCALED_OBJECT = new ResourceDefinitionContext.Builder()
            .withGroup("keda.sh")
            .withVersion("v1alpha1")
            .withKind("ScaledObject")
            .withPlural("scaledobjects")
            .withNamespaced(true)
            .build();

    private final KubernetesClient client;
    private final String namespace;

    public AutoscalerCheck(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** One line per autoscaler that targets one of the workloads. */
    public List<String> findings(List<Workload> workloads) {
        List<String> findings = new ArrayList<>();
        for (HorizontalPodAutoscaler hpa : horizontalPodAutoscalers()) {
            var target = hpa.getSpec() == null ? null : hpa.getSpec().getScaleTargetRef();
            if (target == null) {
                continue;
            }
            for (Workload workload : workloads) {
                if (workload.kind().kind().equals(target.getKind())
                        && workload.name().equals(target.getName())) {
                    findings.add("HorizontalPodAutoscaler " + hpa.getMetadata().getName() + " targets " + workload.id()
                            + " (minReplicas " + hpa.getSpec().getMinReplicas()
                            + "); it pauses at 0 replicas, scale-up hands control back to it");
                }
            }
        }
        for (GenericKubernetesResource scaledObject : kedaScaledObjects()) {
            Object spec = scaledObject.getAdditionalProperties().get("spec");
            if (!(spec instanceof Map<?, ?> specMap) || !(specMap.get("scaleTargetRef") instanceof Map<?, ?> target)) {
                continue;
            }
            String kind = target.get("kind") == null ? "Deployment" : String.valueOf(target.get("kind"));
            String name = String.valueOf(target.get("name"));
            for (Workload workload : workloads) {
                if (workload.kind().kind().equals(kind) && workload.name().equals(name)) {
                    findings.add(
                            "KEDA ScaledObject " + scaledObject.getMetadata().getName() + " targets " + workload.id()
                                    + "; KEDA may scale it up from 0 while frozen: pause it with annotation autoscaling.keda.sh/paused-replicas=0");
                }
            }
        }
        return findings;
    }

    private List<HorizontalPodAutoscaler> horizontalPodAutoscalers() {
        try {
            return client.autoscaling()
                    .v2()
                    .horizontalPodAutoscalers()
                    .inNamespace(namespace)
                    .list()
                    .getItems();
        } catch (KubernetesClientException e) {
            LOG.warnf(
                    "phase=check-autoscalers kind=HorizontalPodAutoscaler skipped=true reason=\"%s\"", e.getMessage());
            return List.of();
        }
    }

    /** KEDA is optional: without its CRD the API answers 404, which simply means no ScaledObjects. */
    private List<GenericKubernetesResource> kedaScaledObjects() {
        try {
            return client.genericKubernetesResources(KEDA_SCALED_OBJECT)
                    .inNamespace(namespace)
                    .list()
                    .getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                LOG.warnf("phase=check-autoscalers kind=ScaledObject skipped=true reason=\"%s\"", e.getMessage());
            }
            return List.of();
        }
    }
}
