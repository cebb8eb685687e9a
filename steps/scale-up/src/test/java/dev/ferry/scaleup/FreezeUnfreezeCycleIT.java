package dev.ferry.scaleup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.workspace.Workspace;
import dev.ferry.freeze.AutoscalerCheck;
import dev.ferry.freeze.Freezer;
import dev.ferry.freeze.WriterSelection;
import dev.ferry.kube.Polling;
import dev.ferry.kube.Workload;
import dev.ferry.kube.WorkloadKind;
import dev.ferry.kube.Workloads;
import dev.ferry.testing.kube.OnyxCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
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
        OnyxCluster cluster = new OnyxCluster(client, client.getNamespace());
        cluster.clear();
        cluster.installHelmChart();
        cluster.statefulSet("onyx-celery-worker-heavy-sts", 3, Map.of());
        Workloads workloads = new Workloads(client, client.getNamespace());
        Map<String, Integer> original = new LinkedHashMap<>();
        workloads.list().forEach(w -> original.put(w.id(), w.replicas()));

        Freezer freezer = new Freezer(workloads, new AutoscalerCheck(client, client.getNamespace()), new Polling(FAST));
        Freezer.Request freeze = new Freezer.Request(
                new WriterSelection(Optional.empty(), Optional.empty()),
                Optional.empty(),
                false,
                false,
                Duration.ofSeconds(20),
                workdir,
                Optional.empty(),
                Duration.ZERO);
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
        ReplicaRestorer restorer = new ReplicaRestorer(workloads, new RolloutWaiter(workloads, new Polling(FAST)));
        playControllers(
                cluster,
                workloads,
                () -> restorer.restore(new ReplicaRestorer.Request(
                        ScaleUpConfig.Source.AUTO, Optional.empty(), false, Duration.ofSeconds(20), workdir)));

        Map<String, Integer> after = new LinkedHashMap<>();
        workloads.list().forEach(w -> after.put(w.id(), w.replicas()));
        assertThat(after).isEqualTo(original);
        assertThat(workloads.list())
                .allSatisfy(w -> assertThat(w.annotations()).doesNotContainKey(Workload.ORIGINAL_REPLICAS));
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
