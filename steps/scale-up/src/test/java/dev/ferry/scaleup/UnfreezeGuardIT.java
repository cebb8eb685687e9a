package dev.ferry.scaleup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.kube.ArgoWorkflows;
import dev.ferry.kube.GuardedRuns;
import dev.ferry.kube.Polling;
import dev.ferry.kube.ScaledObjects;
import dev.ferry.kube.TektonRuns;
import dev.ferry.kube.Workload;
import dev.ferry.kube.WorkloadKind;
import dev.ferry.kube.Workloads;
import dev.ferry.testing.kube.OnyxCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unfreeze guard against the fabric8 CRUD API server, driven through each way an export's PipelineRun can end.
 * The test plays the Tekton controller as tektoncd/pipeline writes a PipelineRun's and its TaskRuns' {@code Succeeded}
 * condition (pkg/apis/pipeline/v1/pipelinerun_types.go: reasons Succeeded, Completed, Failed, Cancelled,
 * PipelineRunTimeout; a timed-out or cancelled run skips finally, so nothing else unfreezes) and the labels it puts on
 * TaskRuns (pkg/reconciler/pipelinerun/pipelinerun.go, createChildResourceLabels), and the Deployment controller for
 * the rollouts; the guard only reads them.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class UnfreezeGuardIT {

    private static final Duration FAST = Duration.ofMillis(20);
    private static final String RUN = "ferry-export-r7x2k";
    private static final ResourceDefinitionContext PIPELINE_RUNS = tekton("PipelineRun", "pipelineruns");
    private static final ResourceDefinitionContext TASK_RUNS = tekton("TaskRun", "taskruns");

    @Inject
    KubernetesClient client;

    @TempDir
    Path workdir;

    private OnyxCluster cluster;
    private Workloads workloads;

    @BeforeEach
    void frozenExportRunning() {
        cluster = new OnyxCluster(client, client.getNamespace());
        cluster.clear();
        client.genericKubernetesResources(PIPELINE_RUNS)
                .inNamespace(client.getNamespace())
                .delete();
        client.genericKubernetesResources(TASK_RUNS)
                .inNamespace(client.getNamespace())
                .delete();
        workloads = new Workloads(client, client.getNamespace());
        // What freeze leaves: writers at 0, each annotated with its original count.
        OnyxCluster.HELM_WRITERS.forEach((name, replicas) ->
                cluster.deployment(name, 0, Map.of(), Map.of(Workload.ORIGINAL_REPLICAS, replicas.toString())));
        OnyxCluster.HELM_NON_WRITERS.forEach(name -> cluster.deployment(name, 1, Map.of()));
        create(PIPELINE_RUNS, RUN, Map.of(), "Unknown", "Running");
        taskRun("freeze", "True", "Succeeded");
        taskRun("dump", "Unknown", "Running");
    }

    @Test
    void aPipelineRunThatTimesOutBringsTheWritersBack() throws Exception {
        var outcome = guardUntil(() -> {
            taskRun("dump", "False", "TaskRunTimeout");
            pipelineRunEnds("False", "PipelineRunTimeout");
        });

        assertUnfrozen(outcome, "PipelineRun " + RUN + " ended failed (PipelineRunTimeout) and upload never ran");
    }

    @Test
    void aCancelledPipelineRunBringsTheWritersBack() throws Exception {
        var outcome = guardUntil(() -> {
            taskRun("dump", "False", "TaskRunCancelled");
            pipelineRunEnds("False", "Cancelled");
        });

        assertUnfrozen(outcome, "ended failed (Cancelled) and upload never ran");
    }

    @Test
    void aPipelineRunStoppedFromTheConsoleBringsTheWritersBack() throws Exception {
        // StoppedRunFinally: dump finishes, upload is skipped (no TaskRun), and the run ends as cancelled.
        var outcome = guardUntil(() -> {
            taskRun("dump", "True", "Succeeded");
            pipelineRunEnds("False", "Cancelled");
        });

        assertUnfrozen(outcome, "and upload never ran");
    }

    @Test
    void aFailedUploadBringsTheWritersBack() throws Exception {
        var outcome = guardUntil(() -> {
            taskRun("dump", "True", "Succeeded");
            taskRun("upload", "False", "Failed");
            pipelineRunEnds("False", "Failed");
        });

        assertUnfrozen(outcome, "and upload ended failed (Failed)");
    }

    @Test
    void aDeletedPipelineRunBringsTheWritersBack() throws Exception {
        var outcome = guardUntil(() -> client.genericKubernetesResources(PIPELINE_RUNS)
                .inNamespace(client.getNamespace())
                .withName(RUN)
                .delete());

        assertUnfrozen(outcome, "PipelineRun " + RUN + " is gone");
    }

    @Test
    void aSuccessfulExportLeavesTheWritersFrozen() throws Exception {
        var outcome = guardUntil(() -> {
            taskRun("dump", "True", "Succeeded");
            taskRun("upload", "True", "Succeeded");
            // finally's unfreeze is skipped by its when: the run reads Completed.
            pipelineRunEnds("True", "Completed");
        });

        assertThat(outcome.unfroze()).isFalse();
        assertThat(outcome.reason()).isEqualTo("upload succeeded");
        OnyxCluster.HELM_WRITERS
                .keySet()
                .forEach(
                        name -> assertThat(cluster.getDeployment(name).getSpec().getReplicas())
                                .as(name)
                                .isZero());
    }

    @Test
    void afterTheFinallyUnfreezeTheGuardChangesNothing() throws Exception {
        var outcome = guardUntil(() -> {
            taskRun("upload", "False", "Failed");
            // finally's unfreeze ran first: counts back, annotations cleared.
            OnyxCluster.HELM_WRITERS.forEach((name, replicas) -> client.apps()
                    .deployments()
                    .inNamespace(client.getNamespace())
                    .withName(name)
                    .edit(deployment -> {
                        deployment.getSpec().setReplicas(replicas);
                        deployment.getMetadata().getAnnotations().remove(Workload.ORIGINAL_REPLICAS);
                        return deployment;
                    }));
            pipelineRunEnds("False", "Failed");
        });

        assertThat(outcome.unfroze()).isTrue();
        assertThat(outcome.restored().restored()).as("nothing left to restore").isEmpty();
    }

    /**
     * argo-workflows: a terminated or stopped Workflow ends phase Failed ("Stopped with strategy 'Terminate'") and
     * skips its onExit handler; its DAG tasks are status.nodes by displayName (workflow_types.go).
     */
    @Test
    void aTerminatedArgoWorkflowBringsTheWritersBackAndASucceededOneLeavesThemFrozen() throws Exception {
        workflow("ferry-export-x2v9p", "Running", "", Map.of("dump", "Running"));
        var terminated = guardUntil(
                new ArgoWorkflows(client, client.getNamespace()),
                "ferry-export-x2v9p",
                () -> workflow(
                        "ferry-export-x2v9p",
                        "Failed",
                        "Stopped with strategy 'Terminate'",
                        Map.of("dump", "Failed", "upload", "Omitted")));

        assertUnfrozen(
                terminated,
                "Workflow ferry-export-x2v9p ended failed (Stopped with strategy 'Terminate') and upload never ran");

        frozenExportRunning();
        workflow("ferry-export-k4m1s", "Running", "", Map.of("dump", "Running"));
        var succeeded = guardUntil(
                new ArgoWorkflows(client, client.getNamespace()),
                "ferry-export-k4m1s",
                () -> workflow(
                        "ferry-export-k4m1s", "Succeeded", "", Map.of("dump", "Succeeded", "upload", "Succeeded")));

        assertThat(succeeded.unfroze()).isFalse();
        OnyxCluster.HELM_WRITERS
                .keySet()
                .forEach(
                        name -> assertThat(cluster.getDeployment(name).getSpec().getReplicas())
                                .as(name)
                                .isZero());
    }

    /** An Argo Workflow as its controller writes it: a phase, a message, one node per DAG task. */
    private void workflow(String name, String phase, String message, Map<String, String> taskPhases) {
        ResourceDefinitionContext workflows = new ResourceDefinitionContext.Builder()
                .withGroup("argoproj.io")
                .withVersion("v1alpha1")
                .withKind("Workflow")
                .withPlural("workflows")
                .withNamespaced(true)
                .build();
        Map<String, Object> nodes = new java.util.LinkedHashMap<>();
        taskPhases.forEach((task, taskPhase) -> nodes.put(
                name + "-" + Math.abs(task.hashCode()),
                Map.of("displayName", task, "phase", taskPhase, "type", "Pod")));
        GenericKubernetesResource workflow = new GenericKubernetesResourceBuilder()
                .withApiVersion("argoproj.io/v1alpha1")
                .withKind("Workflow")
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .build();
        Map<String, Object> status = Map.of("phase", phase, "message", message, "nodes", nodes);
        GenericKubernetesResource existing = client.genericKubernetesResources(workflows)
                .inNamespace(client.getNamespace())
                .withName(name)
                .get();
        // Updated in place, as the controller does: deleting it first would read as a deleted Workflow.
        if (existing != null) {
            existing.setAdditionalProperty("status", status);
            client.genericKubernetesResources(workflows)
                    .inNamespace(client.getNamespace())
                    .resource(existing)
                    .update();
            return;
        }
        workflow.setAdditionalProperty("status", status);
        client.genericKubernetesResources(workflows)
                .inNamespace(client.getNamespace())
                .resource(workflow)
                .create();
    }

    @Test
    void keepFrozenIfIsTaskColonSucceededOrStarted() {
        assertThat(UnfreezeGuard.KeepFrozenIf.parse("scale-up:started"))
                .isEqualTo(new UnfreezeGuard.KeepFrozenIf("scale-up", true));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> UnfreezeGuard.KeepFrozenIf.parse("upload"))
                .hasMessageContaining("FERRY_SCALE_UP_GUARD_KEEP_FROZEN_IF");
    }

    /** Starts the guard, lets the test play how the run ends, and plays the rollouts of an unfreeze. */
    private UnfreezeGuard.Outcome guardUntil(Runnable ending) throws Exception {
        return guardUntil(new TektonRuns(client, client.getNamespace()), RUN, ending);
    }

    private UnfreezeGuard.Outcome guardUntil(GuardedRuns runs, String run, Runnable ending) throws Exception {
        UnfreezeGuard guard = new UnfreezeGuard(
                runs,
                workloads,
                new ReplicaRestorer(
                        workloads,
                        new ScaledObjects(client, client.getNamespace()),
                        new RolloutWaiter(workloads, new Polling(FAST))),
                new Polling(FAST));
        CompletableFuture<UnfreezeGuard.Outcome> guarding = new CompletableFuture<>();
        // Its own thread, stopped whatever happens here: a guard left running would act on the next test's objects.
        Thread thread = new Thread(() -> {
            try {
                guarding.complete(guard.guard(
                        run,
                        UnfreezeGuard.KeepFrozenIf.parse("upload:succeeded"),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(20),
                        workdir));
            } catch (InterruptedException | RuntimeException e) {
                guarding.completeExceptionally(e);
            }
        });
        thread.start();
        try {
            return playUntilGuarded(guarding, ending);
        } finally {
            thread.interrupt();
            thread.join(5_000);
        }
    }

    private UnfreezeGuard.Outcome playUntilGuarded(CompletableFuture<UnfreezeGuard.Outcome> guarding, Runnable ending)
            throws Exception {
        assertThat(new Polling(FAST).until(Duration.ofMillis(200), guarding::isDone))
                .as("the guard waits while the run is running")
                .isFalse();
        ending.run();
        boolean settled = new Polling(FAST).until(Duration.ofSeconds(30), () -> {
            for (Deployment deployment : client.apps()
                    .deployments()
                    .inNamespace(client.getNamespace())
                    .list()
                    .getItems()) {
                int desired = deployment.getSpec().getReplicas();
                var status = deployment.getStatus();
                if (desired > 0
                        && (status == null
                                || status.getAvailableReplicas() == null
                                || status.getAvailableReplicas() != desired)) {
                    cluster.stopPods(deployment.getMetadata().getName());
                    cluster.startPods(deployment.getMetadata().getName(), desired);
                    cluster.markRolledOut(deployment);
                }
            }
            return guarding.isDone();
        });
        assertThat(settled).as("the guard finished").isTrue();
        return guarding.get(1, TimeUnit.SECONDS);
    }

    private void assertUnfrozen(UnfreezeGuard.Outcome outcome, String reason) {
        assertThat(outcome.unfroze()).isTrue();
        assertThat(outcome.reason()).contains(reason);
        OnyxCluster.HELM_WRITERS.forEach((name, replicas) -> {
            Workload workload = workloads.find(WorkloadKind.DEPLOYMENT, name).orElseThrow();
            assertThat(cluster.getDeployment(name).getSpec().getReplicas())
                    .as(name)
                    .isEqualTo(replicas);
            assertThat(workload.annotations()).doesNotContainKey(Workload.ORIGINAL_REPLICAS);
            assertThat(workload.annotations().get(UnfreezeGuard.UNFROZEN_BY))
                    .as(name)
                    .contains(reason);
        });
    }

    private void pipelineRunEnds(String status, String reason) {
        GenericKubernetesResource run = client.genericKubernetesResources(PIPELINE_RUNS)
                .inNamespace(client.getNamespace())
                .withName(RUN)
                .get();
        run.setAdditionalProperty("status", succeeded(status, reason));
        client.genericKubernetesResources(PIPELINE_RUNS)
                .inNamespace(client.getNamespace())
                .resource(run)
                .update();
    }

    private void taskRun(String pipelineTask, String status, String reason) {
        String name = RUN + "-" + pipelineTask;
        client.genericKubernetesResources(TASK_RUNS)
                .inNamespace(client.getNamespace())
                .withName(name)
                .delete();
        create(
                TASK_RUNS,
                name,
                Map.of("tekton.dev/pipelineRun", RUN, "tekton.dev/pipelineTask", pipelineTask),
                status,
                reason);
    }

    private void create(
            ResourceDefinitionContext type, String name, Map<String, String> labels, String status, String reason) {
        GenericKubernetesResource resource = new GenericKubernetesResourceBuilder()
                .withApiVersion("tekton.dev/v1")
                .withKind(type.getKind())
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .build();
        resource.setAdditionalProperty("status", succeeded(status, reason));
        client.genericKubernetesResources(type)
                .inNamespace(client.getNamespace())
                .resource(resource)
                .create();
    }

    private static Map<String, Object> succeeded(String status, String reason) {
        return Map.of("conditions", List.of(Map.of("type", "Succeeded", "status", status, "reason", reason)));
    }

    private static ResourceDefinitionContext tekton(String kind, String plural) {
        return new ResourceDefinitionContext.Builder()
                .withGroup("tekton.dev")
                .withVersion("v1")
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(true)
                .build();
    }
}
