package dev.ferry.freeze;

import dev.ferry.kube.Workload;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Finds HorizontalPodAutoscalers aimed at a writer. An HPA stops acting at 0 replicas, so it cannot undo
 * the freeze, and scale-up hands control back to it: these are notes in the log. (KEDA can undo a freeze;
 * its ScaledObjects are paused instead, see {@link KedaPauses}.)
 */
public final class AutoscalerCheck {

    private static final Logger LOG = Logger.getLogger(AutoscalerCheck.class);

    private final KubernetesClient client;
    private final String namespace;

    public AutoscalerCheck(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** One line per HPA that targets one of the workloads. */
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
}
