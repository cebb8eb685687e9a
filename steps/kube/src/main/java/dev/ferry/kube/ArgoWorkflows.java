package dev.ferry.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An Argo Workflow as its controller reports it (argoproj/argo-workflows pkg/apis/workflow/v1alpha1
 * workflow_types.go): {@code status.phase} Succeeded, or Failed/Error for a failed, stopped or terminated run
 * ({@code argo terminate} and {@code argo stop} end it Failed and skip its onExit handler), Pending/Running
 * otherwise; and {@code status.nodes}, one per task, found by its {@code displayName}. A task node that is
 * Skipped or Omitted never started.
 */
public final class ArgoWorkflows implements GuardedRuns {

    static final ResourceDefinitionContext WORKFLOWS =
            CustomResources.namespaced("argoproj.io", "v1alpha1", "Workflow", "workflows");

    private static final Set<String> NOT_STARTED = Set.of("Skipped", "Omitted");

    private final KubernetesClient client;
    private final String namespace;

    public ArgoWorkflows(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    @Override
    public String kind() {
        return "Workflow";
    }

    @Override
    public RunState run(String name) {
        GenericKubernetesResource workflow = workflow(name);
        if (workflow == null) {
            return new RunState(State.GONE, "");
        }
        Map<?, ?> status = status(workflow);
        String phase = String.valueOf(status.get("phase"));
        String message =
                status.get("message") == null ? "" : status.get("message").toString();
        State state = stateOf(phase);
        return new RunState(state, state == State.FAILED && message.isEmpty() ? phase : message);
    }

    @Override
    public Optional<RunState> task(String run, String task) {
        GenericKubernetesResource workflow = workflow(run);
        if (workflow == null || !(status(workflow).get("nodes") instanceof Map<?, ?> nodes)) {
            return Optional.empty();
        }
        for (Object item : nodes.values()) {
            if (item instanceof Map<?, ?> node
                    && task.equals(node.get("displayName"))
                    && !NOT_STARTED.contains(String.valueOf(node.get("phase")))) {
                String phase = String.valueOf(node.get("phase"));
                return Optional.of(new RunState(stateOf(phase), phase));
            }
        }
        return Optional.empty();
    }

    /** A Workflow's or a node's phase: Succeeded, Failed or Error, or still going. */
    private static State stateOf(String phase) {
        return switch (phase) {
            case "Succeeded" -> State.SUCCEEDED;
            case "Failed", "Error" -> State.FAILED;
            default -> State.RUNNING;
        };
    }

    private GenericKubernetesResource workflow(String name) {
        return client.genericKubernetesResources(WORKFLOWS)
                .inNamespace(namespace)
                .withName(name)
                .get();
    }

    private static Map<?, ?> status(GenericKubernetesResource workflow) {
        return workflow.getAdditionalProperties().get("status") instanceof Map<?, ?> status ? status : Map.of();
    }
}
