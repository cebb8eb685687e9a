package dev.ferry.scaleup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.kube.Polling;
import dev.ferry.kube.ScaledObjects;
import dev.ferry.kube.Workload;
import dev.ferry.kube.WorkloadKind;
import dev.ferry.kube.Workloads;
import dev.ferry.testing.kube.OnyxCluster;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scale-up and unfreeze against the fabric8 CRUD API server, the test playing the Deployment controller. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ScaleUpIT {

    private static final Duration FAST = Duration.ofMillis(20);

    @Inject
    KubernetesClient client;

    @TempDir
    Path workdir;

    private OnyxCluster cluster;
    private Workloads workloads;

    @BeforeEach
    void emptyNamespace() {
        cluster = new OnyxCluster(client, client.getNamespace());
        cluster.clear();
        workloads = new Workloads(client, client.getNamespace());
    }

    /** The state freeze leaves behind: writers at 0, each annotated with its original count. */
    private void frozenHelmChart() {
        OnyxCluster.HELM_WRITERS.forEach((name, replicas) ->
                cluster.deployment(name, 0, Map.of(), Map.of(Workload.ORIGINAL_REPLICAS, replicas.toString())));
        OnyxCluster.HELM_NON_WRITERS.forEach(name -> cluster.deployment(name, 1, Map.of()));
    }

    @Test
    void unfreezeWithTheWorkspaceLostRestoresFromAnnotationsAndClearsThem() throws Exception {
        frozenHelmChart();

        ReplicaRestorer.Outcome outcome =
                restoreWhileControllerRollsOut(request(ScaleUpConfig.Source.AUTO, Optional.empty()));

        assertThat(outcome.restored())
                .hasSize(OnyxCluster.HELM_WRITERS.size())
                .allSatisfy(t -> assertThat(t.source()).contains(Workload.ORIGINAL_REPLICAS));
        assertThat(specReplicas(OnyxCluster.HELM_WRITERS.keySet())).isEqualTo(OnyxCluster.HELM_WRITERS);
        OnyxCluster.HELM_WRITERS.keySet().forEach(name -> {
            // Read through Workload: the mock stores a merge patch's null as a null value, the API server drops the
            // key.
            assertThat(workloads
                            .find(WorkloadKind.DEPLOYMENT, name)
                            .orElseThrow()
                            .annotations())
                    .doesNotContainKey(Workload.ORIGINAL_REPLICAS);
            assertThat(cluster.pods(name)).hasSize(OnyxCluster.HELM_WRITERS.get(name));
        });

        Map<String, String> versions = resourceVersions();
        ReplicaRestorer.Outcome again = restorer().restore(request(ScaleUpConfig.Source.AUTO, Optional.empty()));
        assertThat(again.restored())
                .as("annotations are cleared: nothing left to restore")
                .isEmpty();
        assertThat(resourceVersions()).as("a second unfreeze writes nothing").isEqualTo(versions);
    }

    @Test
    void freezeRecordOnTheWorkspaceWinsAndASecondRunChangesNothing() throws Exception {
        frozenHelmChart();
        Workspace.at(workdir)
                .writeFreezeRecord(new Manifest.Freeze(
                        client.getNamespace(),
                        Instant.now(),
                        List.of(
                                new Manifest.FrozenWorkload("Deployment", "onyx-api-server", 4),
                                new Manifest.FrozenWorkload("Deployment", "onyx-celery-beat", 1))));

        restoreWhileControllerRollsOut(request(ScaleUpConfig.Source.AUTO, Optional.empty()));

        assertThat(specReplicas(List.of("onyx-api-server", "onyx-celery-beat", "onyx-celery-worker-light")))
                .isEqualTo(Map.of("onyx-api-server", 4, "onyx-celery-beat", 1, "onyx-celery-worker-light", 0));
        Map<String, String> versions = resourceVersions();

        ReplicaRestorer.Outcome again = restorer().restore(request(ScaleUpConfig.Source.AUTO, Optional.empty()));

        assertThat(again.restored()).hasSize(2);
        assertThat(resourceVersions())
                .as("idempotent: no write the second time")
                .isEqualTo(versions);
    }

    @Test
    void onTheNewClusterTheManifestGivesTheCountsAndOverridesWin() throws Exception {
        OnyxCluster.HELM_WRITERS.keySet().forEach(name -> cluster.deployment(name, 1, Map.of()));
        Workspace.at(workdir)
                .writeManifest(new Manifest(
                        Manifest.FORMAT_VERSION,
                        "m-1",
                        Instant.now(),
                        null,
                        null,
                        List.of(),
                        null,
                        new Manifest.Freeze(
                                "onyx-old",
                                Instant.now(),
                                List.of(
                                        new Manifest.FrozenWorkload("Deployment", "onyx-api-server", 2),
                                        new Manifest.FrozenWorkload("Deployment", "onyx-celery-worker-light", 2),
                                        new Manifest.FrozenWorkload("Deployment", "onyx-celery-worker-indexing", 1))),
                        null));

        ReplicaRestorer.Outcome outcome = restoreWhileControllerRollsOut(
                request(ScaleUpConfig.Source.AUTO, Optional.of("api-server=3,onyx-celery-beat=2")));

        assertThat(specReplicas(List.of("onyx-api-server", "onyx-celery-worker-light", "onyx-celery-beat")))
                .isEqualTo(Map.of("onyx-api-server", 3, "onyx-celery-worker-light", 2, "onyx-celery-beat", 2));
        assertThat(outcome.missing()).containsExactly("Deployment/onyx-celery-worker-indexing");
    }

    @Test
    void waitsUntilTheRolloutIsAvailable() throws Exception {
        cluster.deployment("onyx-api-server", 0, Map.of(), Map.of(Workload.ORIGINAL_REPLICAS, "2"));
        CompletableFuture<ReplicaRestorer.Outcome> restore =
                async(request(ScaleUpConfig.Source.AUTO, Optional.empty()), Duration.ofSeconds(20));

        assertThat(new Polling(FAST)
                        .until(
                                Duration.ofSeconds(10),
                                () -> cluster.getDeployment("onyx-api-server")
                                                .getSpec()
                                                .getReplicas()
                                        == 2))
                .isTrue();
        cluster.startPods("onyx-api-server", 2);
        assertThat(restore)
                .as("pods exist but the controller reports nothing available yet")
                .isNotDone();

        cluster.markRolledOut(cluster.getDeployment("onyx-api-server"));
        assertThat(restore.get(10, TimeUnit.SECONDS).restored()).hasSize(1);
    }

    @Test
    void timesOutNamingTheWorkloadAndTheImagePullError() {
        cluster.deployment("onyx-api-server", 0, Map.of(), Map.of(Workload.ORIGINAL_REPLICAS, "1"));
        client.pods()
                .inNamespace(client.getNamespace())
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("onyx-api-server-7d9f")
                        .addToLabels("app", "onyx-api-server")
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("api-server")
                        .withImage("onyxdotapp/onyx-backend:v9.9.9")
                        .endContainer()
                        .endSpec()
                        .withNewStatus()
                        .withPhase("Pending")
                        .addNewContainerStatus()
                        .withName("api-server")
                        .withNewState()
                        .withNewWaiting()
                        .withReason("ImagePullBackOff")
                        .withMessage("Back-off pulling image \"onyxdotapp/onyx-backend:v9.9.9\"")
                        .endWaiting()
                        .endState()
                        .endContainerStatus()
                        .endStatus()
                        .build())
                .create();

        assertThatThrownBy(() -> restorer().restore(request(ScaleUpConfig.Source.AUTO, Optional.empty())))
                .isInstanceOfSatisfying(StepFailure.class, failure -> {
                    assertThat(failure.exitCode()).isEqualTo(ExitCode.TIMED_OUT);
                    assertThat(failure.getMessage())
                            .contains("rollout not complete")
                            .contains("Deployment/onyx-api-server: available 0/1")
                            .contains(
                                    "pod onyx-api-server-7d9f Pending (container api-server waiting: ImagePullBackOff \"Back-off pulling image");
                });
    }

    @Test
    void dryRunChangesNothing() throws Exception {
        frozenHelmChart();
        Map<String, String> versions = resourceVersions();

        ReplicaRestorer.Outcome outcome = restorer()
                .restore(new ReplicaRestorer.Request(
                        ScaleUpConfig.Source.AUTO, Optional.empty(), true, Duration.ofSeconds(5), workdir));

        assertThat(outcome.dryRun()).isTrue();
        assertThat(outcome.restored()).hasSize(OnyxCluster.HELM_WRITERS.size());
        assertThat(resourceVersions()).isEqualTo(versions);
    }

    @Test
    void aMalformedOrAmbiguousOverrideIsBadConfiguration() {
        OnyxCluster.HELM_WRITERS.keySet().forEach(name -> cluster.deployment(name, 1, Map.of()));

        assertThatThrownBy(() -> restorer().restore(request(ScaleUpConfig.Source.AUTO, Optional.of("api-server=lots"))))
                .isInstanceOfSatisfying(StepFailure.class, failure -> {
                    assertThat(failure.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION);
                    assertThat(failure.getMessage())
                            .isEqualTo(
                                    "FERRY_SCALE_UP_REPLICAS entry 'api-server=lots' is not name=count with a count of 0 or more");
                });
        assertThatThrownBy(() -> restorer().restore(request(ScaleUpConfig.Source.AUTO, Optional.of("celery=2"))))
                .isInstanceOfSatisfying(StepFailure.class, failure -> {
                    assertThat(failure.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION);
                    assertThat(failure.getMessage())
                            .isEqualTo(
                                    "FERRY_SCALE_UP_REPLICAS names celery, which matches no workload; use the full name");
                });
    }

    private ReplicaRestorer restorer() {
        return new ReplicaRestorer(
                workloads,
                new ScaledObjects(client, client.getNamespace()),
                new RolloutWaiter(workloads, new Polling(FAST)));
    }

    private ReplicaRestorer.Request request(ScaleUpConfig.Source from, Optional<String> overrides) {
        return new ReplicaRestorer.Request(from, overrides, false, Duration.ofSeconds(20), workdir);
    }

    private CompletableFuture<ReplicaRestorer.Outcome> async(ReplicaRestorer.Request request, Duration timeout) {
        ReplicaRestorer.Request timed = new ReplicaRestorer.Request(
                request.from(), request.overrides(), request.dryRun(), timeout, request.workdir());
        return CompletableFuture.supplyAsync(() -> {
            try {
                return restorer().restore(timed);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Runs scale-up while acting as the Deployment controller: pods for the new count, then the rollout status. */
    private ReplicaRestorer.Outcome restoreWhileControllerRollsOut(ReplicaRestorer.Request request) throws Exception {
        CompletableFuture<ReplicaRestorer.Outcome> restore = async(request, Duration.ofSeconds(20));
        boolean settled = new Polling(FAST).until(Duration.ofSeconds(20), () -> {
            for (Deployment deployment : client.apps()
                    .deployments()
                    .inNamespace(client.getNamespace())
                    .list()
                    .getItems()) {
                var status = deployment.getStatus();
                int desired = deployment.getSpec().getReplicas();
                if (status == null
                        || status.getAvailableReplicas() == null
                        || status.getAvailableReplicas() != desired) {
                    String name = deployment.getMetadata().getName();
                    cluster.stopPods(name);
                    cluster.startPods(name, desired);
                    cluster.markRolledOut(deployment);
                }
            }
            return restore.isDone();
        });
        assertThat(settled).as("scale-up finished").isTrue();
        return restore.get(1, TimeUnit.SECONDS);
    }

    private Map<String, Integer> specReplicas(java.util.Collection<String> names) {
        return names.stream()
                .collect(Collectors.toMap(
                        n -> n, n -> cluster.getDeployment(n).getSpec().getReplicas()));
    }

    private Map<String, String> resourceVersions() {
        return client.apps().deployments().inNamespace(client.getNamespace()).list().getItems().stream()
                .collect(Collectors.toMap(
                        d -> d.getMetadata().getName(), d -> d.getMetadata().getResourceVersion()));
    }
}
