package dev.ferry.kube;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.ArrayList;
import java.util.List;

/**
 * Says in one line why a pod is not ready, the way an operator would read {@code kubectl describe}:
 * waiting reasons (ImagePullBackOff, CrashLoopBackOff), terminated containers, and failing pod
 * conditions (Unschedulable, readiness).
 */
public final class PodDiagnosis {

    private PodDiagnosis() {}

    public static String describe(Pod pod) {
        List<String> reasons = new ArrayList<>();
        var status = pod.getStatus();
        String phase = status == null || status.getPhase() == null ? "Unknown" : status.getPhase();
        if (status != null) {
            List<ContainerStatus> containers = new ArrayList<>();
            if (status.getInitContainerStatuses() != null) {
                containers.addAll(status.getInitContainerStatuses());
            }
            if (status.getContainerStatuses() != null) {
                containers.addAll(status.getContainerStatuses());
            }
            for (ContainerStatus container : containers) {
                var state = container.getState();
                if (state != null
                        && state.getWaiting() != null
                        && state.getWaiting().getReason() != null) {
                    reasons.add("container " + container.getName() + " waiting: "
                            + state.getWaiting().getReason()
                            + message(state.getWaiting().getMessage()));
                } else if (state != null && state.getTerminated() != null && !"Succeeded".equals(phase)) {
                    var terminated = state.getTerminated();
                    reasons.add("container " + container.getName() + " terminated: " + terminated.getReason() + " exit "
                            + terminated.getExitCode() + message(terminated.getMessage()));
                }
            }
            if (status.getConditions() != null) {
                for (PodCondition condition : status.getConditions()) {
                    if (!"True".equals(condition.getStatus()) && reasons.isEmpty()) {
                        reasons.add(condition.getType() + "=" + condition.getStatus()
                                + (condition.getReason() == null ? "" : " " + condition.getReason())
                                + message(condition.getMessage()));
                    }
                }
            }
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            reasons.add(0, "terminating");
        }
        return "pod " + pod.getMetadata().getName() + " " + phase
                + (reasons.isEmpty() ? "" : " (" + String.join("; ", reasons) + ")");
    }

    private static String message(String message) {
        return message == null || message.isBlank() ? "" : " \"" + message.strip() + "\"";
    }
}
