package dev.ferry.harness;

import dev.ferry.testing.kube.OnyxCluster;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One "cluster" for the pipeline tests: the fabric8 CRUD API server on a free port, a kubeconfig
 * file the step programs use, Onyx-shaped workloads, and the controllers the mock lacks, played by
 * reacting to watch events: pods follow a Deployment's replicas and its rollout completes; a Job
 * gets a finished pod with a log and its final status after {@link JobEffect} did what the image would.
 */
public final class MockCluster implements AutoCloseable {

    /** What the Job's container does before the Job reports Complete (e.g. migrate the database as alembic would). */
    public interface JobEffect {
        /** Returns the pod's log. */
        String run(Job job) throws Exception;
    }

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final String namespace;
    private final OnyxCluster onyx;
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private final List<String> controllerErrors = new CopyOnWriteArrayList<>();

    public MockCluster(String namespace) {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        this.server = new KubernetesMockServer(
                new Context(), new MockWebServer(), responses, new KubernetesMixedDispatcher(responses), false);
        server.init();
        this.client = server.createClient();
        this.namespace = namespace;
        this.onyx = new OnyxCluster(client, namespace);
    }

    public OnyxCluster onyx() {
        return onyx;
    }

    public KubernetesClient client() {
        return client;
    }

    /** Errors the played controllers hit: a test asserts there were none. */
    public List<String> controllerErrors() {
        return controllerErrors;
    }

    /** A kubeconfig whose current context is this server and namespace, as {@code oc login} would write. */
    public Path writeKubeconfig(Path folder) throws IOException {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    namespace: %s
                    user: tester
                current-context: mock
                users:
                - name: tester
                  user:
                    token: not-a-secret
                """.formatted(client.getMasterUrl().toString(), namespace);
        return Files.writeString(folder.resolve("kubeconfig"), yaml);
    }

    /** Starts the played Deployment controller: pods follow spec.replicas, the rollout completes. */
    public MockCluster playDeploymentController() {
        watches.add(client.apps().deployments().inNamespace(namespace).watch(new Watcher<Deployment>() {
            @Override
            public void eventReceived(Action action, Deployment deployment) {
                if (action == Action.ADDED || action == Action.MODIFIED) {
                    guarded(
                            "deployment " + deployment.getMetadata().getName(),
                            () -> reconcile(deployment.getMetadata().getName()));
                }
            }

            @Override
            public void onClose(WatcherException cause) {}
        }));
        return this;
    }

    /** Starts the played Job controller and kubelet: each new Job runs {@code effect}, then its pod and status finish. */
    public MockCluster playJobController(JobEffect effect) {
        watches.add(client.batch().v1().jobs().inNamespace(namespace).watch(new Watcher<Job>() {
            @Override
            public void eventReceived(Action action, Job job) {
                if (action == Action.ADDED) {
                    guarded("job " + job.getMetadata().getName(), () -> finishJob(job, effect));
                }
            }

            @Override
            public void onClose(WatcherException cause) {}
        }));
        return this;
    }

    private void reconcile(String name) {
        Deployment current = onyx.getDeployment(name);
        if (current == null) {
            return;
        }
        int desired =
                current.getSpec().getReplicas() == null ? 1 : current.getSpec().getReplicas();
        int running = onyx.pods(name).size();
        if (running != desired) {
            onyx.stopPods(name);
            onyx.startPods(name, desired);
        }
        var status = current.getStatus();
        long generation = current.getMetadata().getGeneration() == null
                ? 0
                : current.getMetadata().getGeneration();
        boolean rolledOut = status != null
                && status.getAvailableReplicas() != null
                && status.getAvailableReplicas() == desired
                && status.getObservedGeneration() != null
                && status.getObservedGeneration() == generation;
        if (!rolledOut) {
            onyx.markRolledOut(current);
        }
    }

    private void finishJob(Job job, JobEffect effect) throws Exception {
        String name = job.getMetadata().getName();
        String container =
                job.getSpec().getTemplate().getSpec().getContainers().get(0).getName();
        String pod = name + "-x1";
        String log;
        String phase;
        try {
            log = effect.run(job);
            phase = "Succeeded";
        } catch (Exception e) {
            log = "ERROR " + e.getMessage() + "\n";
            phase = "Failed";
        }
        for (String query : List.of(
                "?pretty=false&container=" + container,
                "?pretty=false&container=" + container + "&follow=true",
                "?container=" + container + "&follow=true",
                "?container=" + container)) {
            server.expect()
                    .get()
                    .withPath("/api/v1/namespaces/" + namespace + "/pods/" + pod + "/log" + query)
                    .andReturn(200, log)
                    .always();
        }
        client.pods()
                .inNamespace(namespace)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(pod)
                        .addToLabels("job-name", name)
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName(container)
                        .withImage(job.getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .getImage())
                        .endContainer()
                        .endSpec()
                        .withNewStatus()
                        .withPhase(phase)
                        .endStatus()
                        .build())
                .create();
        Job current =
                client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
        boolean complete = phase.equals("Succeeded");
        current.setStatus(new JobStatusBuilder()
                .addNewCondition()
                .withType(complete ? "Complete" : "Failed")
                .withStatus("True")
                .endCondition()
                .withSucceeded(complete ? 1 : 0)
                .withFailed(complete ? 0 : 1)
                .build());
        client.batch().v1().jobs().inNamespace(namespace).resource(current).updateStatus();
    }

    private void guarded(String what, ThrowingAction action) {
        try {
            action.run();
        } catch (Exception | AssertionError e) {
            controllerErrors.add(what + ": " + e);
        }
    }

    private interface ThrowingAction {
        void run() throws Exception;
    }

    @Override
    public void close() {
        watches.forEach(Watch::close);
        client.close();
        server.destroy();
    }
}
