package dev.ferry.scaleup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.freeze.AutoscalerCheck;
import dev.ferry.freeze.Freezer;
import dev.ferry.freeze.WriterSelection;
import dev.ferry.kube.Polling;
import dev.ferry.kube.ScaledObjects;
import dev.ferry.kube.Workload;
import dev.ferry.kube.WorkloadKind;
import dev.ferry.kube.Workloads;
import dev.ferry.testing.kube.OnyxCluster;
import dev.ferry.testing.kube.PlayedKeda;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The old cluster's whole story with the real freeze and scale-up services: freeze, freeze again
 * (a retried export), then unfreeze with the workspace lost, and every writer is back at its
 * original count, Deployments and StatefulSets alike. The test plays the controllers.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class FreezeUnfreezeCycleIT {

    private static final Duration FAST = Duration.ofMillis(20);

    @Inject
    KubernetesClient client;

    @TempDir
    Path workdir;

    @Test
    void freezeTwiceThenUnfreezeRestoresTheOriginalCounts() throws Exception {
        OnyxCluster cluster = helmChartInstalled();
        cluster.statefulSet("onyx-celery-worker-heavy-sts", 3, Map.of());
        Workloads workloads = new Workloads(client, client.getNamespace());
        Map<String, Integer> original = replicaCounts(workloads);

        Freezer freezer = freezer(workloads);
        Freezer.Request freeze = freezeRequest();
        playControllers(cluster, workloads, () -> freezer.freeze(freeze));
        playControllers(cluster, workloads, () -> freezer.freeze(freeze));
        assertThat(workloads
                        .find(WorkloadKind.STATEFUL_SET, "onyx-celery-worker-heavy-sts")
                        .orElseThrow()
                        .replicas())
                .isZero();
        assertThat(workloads
                        .find(WorkloadKind.STATEFUL_SET, "onyx-postgresql")
                        .orElseThrow()
                        .replicas())
                .isEqualTo(1);

        java.nio.file.Files.delete(Workspace.at(workdir).freezeRecordFile());
        ReplicaRestorer restorer = restorer(workloads);
        playControllers(
                cluster,
                workloads,
                () -> restorer.restore(new ReplicaRestorer.Request(
                        ScaleUpConfig.Source.AUTO, Optional.empty(), false, Duration.ofSeconds(20), workdir)));

        Map<String, Integer> after = replicaCounts(workloads);
        assertThat(after).isEqualTo(original);
        assertThat(workloads.list())
                .allSatisfy(w -> assertThat(w.annotations()).doesNotContainKey(Workload.ORIGINAL_REPLICAS));
    }

    @Test
    void kedaCannotUndoTheFreezeAndUnfreezeLeavesEveryScaledObjectAsItWas() throws Exception {
        OnyxCluster cluster = helmChartInstalled();
        Workloads workloads = new Workloads(client, client.getNamespace());
        Map<String, Integer> original = replicaCounts(workloads);
        try (PlayedKeda keda = new PlayedKeda(client, client.getNamespace())) {
            // As the chart renders them with autoscaling.engine=keda: every one with minReplicaCount >= 1.
            keda.scaledObject("onyx-api", "onyx-api-server", 1, Map.of());
            keda.scaledObject("onyx-celery-worker-primary", "onyx-celery-worker-primary", 1, Map.of());
            keda.scaledObject("onyx-webserver", "onyx-web-server", 1, Map.of("team", "web"));
            // An operator's own pause at the current count: Ferry keeps it as it is.
            keda.scaledObject(
                    "onyx-celery-worker-light", "onyx-celery-worker-light", 1, Map.of(ScaledObjects.PAUSED, "true"));
            List<String> names =
                    List.of("onyx-api", "onyx-celery-worker-primary", "onyx-webserver", "onyx-celery-worker-light");
            Map<String, Map<String, String>> annotationsBefore = new LinkedHashMap<>();
            names.forEach(name -> annotationsBefore.put(name, keda.annotations(name)));
            keda.start(FAST);

            playControllers(cluster, workloads, () -> freezer(workloads).freeze(freezeRequest()));
            Thread.sleep(20 * FAST.toMillis()); // many of KEDA's polling intervals

            for (String writer : OnyxCluster.HELM_WRITERS.keySet()) {
                assertThat(workloads
                                .find(WorkloadKind.DEPLOYMENT, writer)
                                .orElseThrow()
                                .replicas())
                        .as("%s while frozen, KEDA playing", writer)
                        .isZero();
            }
            assertThat(keda.annotations("onyx-api"))
                    .containsEntry(ScaledObjects.PAUSED_REPLICAS, "0")
                    .containsEntry(ScaledObjects.PAUSED_BY_FERRY, "true");
            assertThat(keda.annotations("onyx-webserver")).as("not a writer's").isEqualTo(Map.of("team", "web"));
            assertThat(keda.annotations("onyx-celery-worker-light")).isEqualTo(Map.of(ScaledObjects.PAUSED, "true"));
            assertThat(Workspace.at(workdir).readFreezeRecord().orElseThrow().pausedScaledObjects())
                    .containsExactly("onyx-api", "onyx-celery-worker-primary");

            playControllers(
                    cluster,
                    workloads,
                    () -> restorer(workloads)
                            .restore(new ReplicaRestorer.Request(
                                    ScaleUpConfig.Source.AUTO,
                                    Optional.empty(),
                                    false,
                                    Duration.ofSeconds(20),
                                    workdir)));
            Thread.sleep(20 * FAST.toMillis());

            Map<String, Integer> after = replicaCounts(workloads);
            assertThat(after).isEqualTo(original);
            Map<String, Map<String, String>> annotationsAfter = new LinkedHashMap<>();
            names.forEach(name -> annotationsAfter.put(name, keda.annotations(name)));
            assertThat(annotationsAfter).isEqualTo(annotationsBefore);
        }
    }

    @Test
    void anOperatorsPauseThatHoldsAWriterAboveZeroIsRefusedBeforeAnythingChanges() throws Exception {
        helmChartInstalled();
        Workloads workloads = new Workloads(client, client.getNamespace());
        Map<String, Integer> original = replicaCounts(workloads);
        PlayedKeda keda = new PlayedKeda(client, client.getNamespace());
        keda.scaledObject("onyx-api", "onyx-api-server", 1, Map.of(ScaledObjects.PAUSED_REPLICAS, "2"));

        assertThatThrownBy(() -> freezer(workloads).freeze(freezeRequest()))
                .isInstanceOfSatisfying(StepFailure.class, refused -> {
                    assertThat(refused.exitCode()).isEqualTo(ExitCode.REFUSED);
                    assertThat(refused.getMessage())
                            .contains("ScaledObject onyx-api (autoscaling.keda.sh/paused-replicas=2) holds "
                                    + "Deployment/onyx-api-server");
                });

        Map<String, Integer> after = replicaCounts(workloads);
        assertThat(after).isEqualTo(original);
        assertThat(Workspace.at(workdir).freezeRecordFile()).doesNotExist();
        assertThat(keda.annotations("onyx-api")).isEqualTo(Map.of(ScaledObjects.PAUSED_REPLICAS, "2"));
    }

    /** The mock cluster emptied and holding the current Helm chart's workloads. */
    private OnyxCluster helmChartInstalled() {
        OnyxCluster cluster = new OnyxCluster(client, client.getNamespace());
        cluster.clear();
        cluster.installHelmChart();
        return cluster;
    }

    /** Each workload's desired replicas, by id. */
    private static Map<String, Integer> replicaCounts(Workloads workloads) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        workloads.list().forEach(w -> counts.put(w.id(), w.replicas()));
        return counts;
    }

    private Freezer freezer(Workloads workloads) {
        return new Freezer(
                workloads,
                new AutoscalerCheck(client, client.getNamespace()),
                new ScaledObjects(client, client.getNamespace()),
                new Polling(FAST));
    }

    private ReplicaRestorer restorer(Workloads workloads) {
        return new ReplicaRestorer(
                workloads,
                new ScaledObjects(client, client.getNamespace()),
                new RolloutWaiter(workloads, new Polling(FAST)));
    }

    private Freezer.Request freezeRequest() {
        return new Freezer.Request(
                new WriterSelection(Optional.empty(), Optional.empty()),
                Optional.empty(),
                false,
                false,
                Duration.ofSeconds(20),
                workdir,
                Optional.empty(),
                Duration.ZERO);
    }

    /** Runs a step while acting as the ReplicaSet/StatefulSet controllers: pods and status follow each spec. */
    private static <T> T playControllers(OnyxCluster cluster, Workloads workloads, Callable<T> step) throws Exception {
        CompletableFuture<T> running = CompletableFuture.supplyAsync(() -> {
            try {
                return step.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        boolean done = new Polling(FAST).until(Duration.ofSeconds(30), () -> {
            for (Workload workload : workloads.list()) {
                if (cluster.pods(workload.name()).size() != workload.replicas()
                        || workload.availableReplicas() != workload.replicas()) {
                    cluster.stopPods(workload.name());
                    cluster.startPods(workload.name(), workload.replicas());
                    HasMetadata resource = workload.kind() == WorkloadKind.DEPLOYMENT
                            ? cluster.getDeployment(workload.name())
                            : cluster.getStatefulSet(workload.name());
                    cluster.markRolledOut(resource);
                }
            }
            return running.isDone();
        });
        assertThat(done).isTrue();
        return running.get(1, TimeUnit.SECONDS);
    }
}
