package dev.ferry.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Tekton PipelineRun and its TaskRuns as the Tekton controller reports them: the {@code Succeeded} condition
 * ({@code True} done well, {@code False} failed, timed out or cancelled, {@code Unknown} or absent still going),
 * and the TaskRun of one pipeline task found by the labels Tekton puts on it ({@code tekton.dev/pipelineRun},
 * {@code tekton.dev/pipelineTask}; tektoncd/pipeline pkg/reconciler/pipelinerun/pipelinerun.go, createChildResourceLabels).
 */
public final class TektonRuns implements GuardedRuns {

    static final ResourceDefinitionContext PIPELINE_RUNS =
            CustomResources.namespaced("tekton.dev", "v1", "PipelineRun", "pipelineruns");
    static final ResourceDefinitionContext TASK_RUNS =
            CustomResources.namespaced("tekton.dev", "v1", "TaskRun", "taskruns");

    private final KubernetesClient client;
    private final String namespace;

    public TektonRuns(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    @Override
    public String kind() {
        return "PipelineRun";
    }

    @Override
    public RunState run(String name) {
        GenericKubernetesResource run = client.genericKubernetesResources(PIPELINE_RUNS)
                .inNamespace(namespace)
                .withName(name)
                .get();
        return run == null ? new RunState(State.GONE, "") : stateOf(run);
    }

    /** The state of the TaskRun that ran {@code pipelineTask} in {@code pipelineRun}; empty when none was created. */
    @Override
    public Optional<RunState> task(String pipelineRun, String pipelineTask) {
        List<GenericKubernetesResource> runs = client.genericKubernetesResources(TASK_RUNS)
                .inNamespace(namespace)
                .withLabel("tekton.dev/pipelineRun", pipelineRun)
                .withLabel("tekton.dev/pipelineTask", pipelineTask)
                .list()
                .getItems();
        // A retried task has one TaskRun; a pipeline task with a matrix several: all must have succeeded.
        return runs.stream().map(TektonRuns::stateOf).reduce((a, b) -> a.state() == State.SUCCEEDED ? b : a);
    }

    static RunState stateOf(GenericKubernetesResource run) {
        Object status = run.getAdditionalProperties().get("status");
        if (!(status instanceof Map<?, ?> fields) || !(fields.get("conditions") instanceof List<?> conditions)) {
            return new RunState(State.RUNNING, "");
        }
        for (Object item : conditions) {
            if (item instanceof Map<?, ?> condition && "Succeeded".equals(condition.get("type"))) {
                String reason = condition.get("reason") == null
                        ? ""
                        : condition.get("reason").toString();
                return switch (String.valueOf(condition.get("status"))) {
                    case "True" -> new RunState(State.SUCCEEDED, reason);
                    case "False" -> new RunState(State.FAILED, reason);
                    default -> new RunState(State.RUNNING, reason);
                };
            }
        }
        return new RunState(State.RUNNING, "");
    }
}
