package dev.ferry.scaleup;

import dev.ferry.core.StepFailure;
import dev.ferry.kube.PodDiagnosis;
import dev.ferry.kube.Polling;
import dev.ferry.kube.Workload;
import dev.ferry.kube.Workloads;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Waits until every rollout is complete the way {@code kubectl rollout status} judges it: the
 * controller has seen the latest spec (observedGeneration), and updated, available and total
 * replicas all equal the desired count. On timeout it says, per workload, what is missing and why.
 */
public final class RolloutWaiter {

    private static final Logger LOG = Logger.getLogger(RolloutWaiter.class);
    private static final int PODS_PER_WORKLOAD = 3;

    private final Workloads workloads;
    private final Polling polling;

    public RolloutWaiter(Workloads workloads, Polling polling) {
        this.workloads = workloads;
        this.polling = polling;
    }

    public void await(List<RestorePlan.Target> targets, Duration timeout) throws InterruptedException {
        Map<String, Workload> pending = new LinkedHashMap<>();
        boolean done = polling.until(timeout, () -> {
            pending.clear();
            for (RestorePlan.Target target : targets) {
                Optional<Workload> current = workloads.find(target.kind(), target.name());
                if (current.isPresent() && !complete(current.get())) {
                    pending.put(target.id(), current.get());
                }
            }
            return pending.isEmpty();
        });
        if (!done) {
            List<String> reasons = new ArrayList<>();
            pending.values().forEach(workload -> reasons.add(whyNotReady(workload)));
            throw StepFailure.timedOut(
                    "rollout not complete after " + timeout.toSeconds() + "s: " + String.join(" | ", reasons));
        }
        LOG.infof("phase=wait-rollout workloads=%d ready=true", targets.size());
    }

    static boolean complete(Workload workload) {
        int desired = workload.replicas();
        return workload.observedGeneration() >= workload.generation()
                && workload.updatedReplicas() == desired
                && workload.availableReplicas() == desired
                && workload.statusReplicas() == desired;
    }

    private String whyNotReady(Workload workload) {
        StringBuilder why = new StringBuilder(workload.id())
                .append(": available ")
                .append(workload.availableReplicas())
                .append('/')
                .append(workload.replicas())
                .append(", updated ")
                .append(workload.updatedReplicas())
                .append(", total ")
                .append(workload.statusReplicas());
        if (workload.observedGeneration() < workload.generation()) {
            why.append(", controller has not seen generation ").append(workload.generation());
        }
        List<Pod> pods = workloads.pods(workload);
        pods.stream().limit(PODS_PER_WORKLOAD).forEach(pod -> why.append("; ").append(PodDiagnosis.describe(pod)));
        if (pods.size() > PODS_PER_WORKLOAD) {
            why.append("; ").append(pods.size() - PODS_PER_WORKLOAD).append(" more pods");
        }
        return why.toString();
    }
}
