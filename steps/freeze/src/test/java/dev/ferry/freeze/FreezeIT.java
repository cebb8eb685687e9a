package dev.ferry.freeze;

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
import dev.ferry.testing.kube.PlayedKeda;
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

/** Freeze against the fabric8 CRUD API server, the test playing the ReplicaSet controller. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class FreezeIT {

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

    @Test
    void freezesEveryWriterOfTheHelmChartAndKeepsOriginalsOnASecondFreeze() throws Exception {
        cluster.installHelmChart();

        Freezer.Outcome first = freezeWhileControllerStopsPods(request(false, false));

        assertThat(replicasByName(first.record())).isEqualTo(OnyxCluster.HELM_WRITERS);
        for (String writer : OnyxCluster.HELM_WRITERS.keySet()) {
            var deployment = cluster.getDeployment(writer);
            assertThat(deployment.getSpec().getReplicas()).as(writer).isZero();
            assertThat(deployment.getMetadata().getAnnotations())
                    .containsEntry(
                            Workload.ORIGINAL_REPLICAS,
                            OnyxCluster.HELM_WRITERS.get(writer).toString());
        }
        for (String other : OnyxCluster.HELM_NON_WRITERS) {
            assertThat(cluster.getDeployment(other).getSpec().getReplicas())
                    .as(other)
                    .isEqualTo(1);
            assertThat(cluster.pods(other)).hasSize(1);
        }
        assertThat(cluster.getStatefulSet("onyx-postgresql").getSpec().getReplicas())
                .isEqualTo(1);
        assertThat(Workspace.at(workdir).readFreezeRecord())
                .get()
                .extracting(this::replicasByName)
                .isEqualTo(OnyxCluster.HELM_WRITERS);

        Freezer.Outcome second = freezer().freeze(request(false, false));

        assertThat(replicasByName(second.record()))
                .as("a second freeze never records 0 over the real count")
                .isEqualTo(OnyxCluster.HELM_WRITERS);
        assertThat(replicasByName(Workspace.at(workdir).readFreezeRecord().orElseThrow()))
                .isEqualTo(OnyxCluster.HELM_WRITERS);
    }

    @Test
    void secondFreezeWithTheWorkspaceLostStillKeepsOriginalsFromAnnotations() throws Exception {
        cluster.installLegacyManifests();
        freezeWhileControllerStopsPods(request(false, false));
        java.nio.file.Files.delete(Workspace.at(workdir).freezeRecordFile());

        Freezer.Outcome again = freezer().freeze(request(false, false));

        assertThat(replicasByName(again.record())).isEqualTo(OnyxCluster.LEGACY_WRITERS);
        assertThat(cluster.getStatefulSet("relational-db-statefulset").getSpec().getReplicas())
                .isEqualTo(1);
        assertThat(cluster.getDeployment("web-server-deployment").getSpec().getReplicas())
                .isEqualTo(1);
    }

    @Test
    void dryRunSelectsButChangesNothing() throws Exception {
        cluster.installHelmChart();

        Freezer.Outcome outcome = freezer().freeze(request(true, false));

        assertThat(outcome.dryRun()).isTrue();
        assertThat(replicasByName(outcome.record())).isEqualTo(OnyxCluster.HELM_WRITERS);
        OnyxCluster.HELM_WRITERS.forEach((name, replicas) -> {
            var deployment = cluster.getDeployment(name);
            assertThat(deployment.getSpec().getReplicas()).isEqualTo(replicas);
            assertThat(deployment.getMetadata().getAnnotations()).doesNotContainKey(Workload.ORIGINAL_REPLICAS);
        });
        assertThat(Workspace.at(workdir).freezeRecordFile()).doesNotExist();
    }

    @Test
    void refusesWorkloadsArgoCdWouldScaleBackUnlessTold() throws Exception {
        cluster.deployment(
                "onyx-api-server",
                2,
                Map.of(),
                Map.of("argocd.argoproj.io/tracking-id", "onyx:apps/Deployment:onyx/onyx-api-server"));
        cluster.deployment("onyx-celery-beat", 1, Map.of("argocd.argoproj.io/instance", "onyx"));

        assertThatThrownBy(() -> freezer().freeze(request(false, false)))
                .isInstanceOfSatisfying(StepFailure.class, failure -> {
                    assertThat(failure.exitCode()).isEqualTo(ExitCode.REFUSED);
                    assertThat(failure.getMessage())
                            .contains(
                                    "Deployment/onyx-api-server by Argo CD (annotation argocd.argoproj.io/tracking-id")
                            .contains("Deployment/onyx-celery-beat by Argo CD (label argocd.argoproj.io/instance=onyx)")
                            .contains("FERRY_FREEZE_IGNORE_GITOPS=true");
                });
        assertThat(cluster.getDeployment("onyx-api-server").getSpec().getReplicas())
                .isEqualTo(2);
        assertThat(Workspace.at(workdir).freezeRecordFile()).doesNotExist();

        freezeWhileControllerStopsPods(request(false, true));
        assertThat(cluster.getDeployment("onyx-api-server").getSpec().getReplicas())
                .isZero();
    }

    @Test
    void refusesFluxManagedWorkloads() {
        cluster.deployment("onyx-api-server", 1, Map.of("helm.toolkit.fluxcd.io/name", "onyx"));

        assertThatThrownBy(() -> freezer().freeze(request(false, false)))
                .isInstanceOfSatisfying(StepFailure.class, failure -> {
                    assertThat(failure.exitCode()).isEqualTo(ExitCode.REFUSED);
                    assertThat(failure.getMessage()).contains("Flux HelmRelease onyx");
                });
    }

    @Test
    void timesOutNamingThePodsThatStayed() {
        cluster.deployment("onyx-api-server", 2, Map.of());

        Freezer.Request request = new Freezer.Request(
                new WriterSelection(Optional.empty(), Optional.empty()),
                Optional.empty(),
                false,
                false,
                Duration.ofMillis(300),
                workdir,
                Optional.empty(),
                Duration.ZERO);
        assertThatThrownBy(() -> freezer().freeze(request)).isInstanceOfSatisfying(StepFailure.class, failure -> {
            assertThat(failure.exitCode()).isEqualTo(ExitCode.TIMED_OUT);
            assertThat(failure.getMessage())
                    .contains("pods still running")
                    .contains("Deployment/onyx-api-server: onyx-api-server-0, onyx-api-server-1");
        });
        assertThat(Workspace.at(workdir).readFreezeRecord())
                .get()
                .extracting(this::replicasByName)
                .as("the record was durable before waiting")
                .isEqualTo(Map.of("onyx-api-server", 2));
    }

    @Test
    void explicitGlobsAndLabelSelectorReplaceTheDefaultRule() throws Exception {
        cluster.installHelmChart();

        Freezer.Request globs = new Freezer.Request(
                new WriterSelection(
                        Optional.of(List.of("onyx-celery-worker-*", "onyx-api-server", "onyx-*postgres*")),
                        Optional.empty()),
                Optional.empty(),
                false,
                true,
                Duration.ofSeconds(5),
                workdir,
                Optional.empty(),
                Duration.ZERO);
        assertThat(freezer().freeze(globs).record().workloads())
                .extracting(Manifest.FrozenWorkload::name)
                .contains("onyx-api-server", "onyx-celery-worker-light")
                .doesNotContain("onyx-celery-beat", "onyx-postgresql", "onyx-web-server");

        client.apps()
                .deployments()
                .inNamespace(client.getNamespace())
                .withName("onyx-web-server")
                .edit(d -> {
                    d.getMetadata().getLabels().put("tier", "frontend");
                    return d;
                });
        Freezer.Request selector = new Freezer.Request(
                new WriterSelection(Optional.empty(), Optional.of("tier=frontend")),
                Optional.of("tier=frontend"),
                false,
                true,
                Duration.ofSeconds(5),
                workdir,
                Optional.empty(),
                Duration.ZERO);
        assertThat(freezer().freeze(selector).record().workloads())
                .extracting(Manifest.FrozenWorkload::name)
                .containsExactly("onyx-web-server");
    }

    @Test
    void anExplicitNameThatDoesNotExistIsBadConfiguration() {
        cluster.installHelmChart();
        Freezer.Request request = new Freezer.Request(
                new WriterSelection(Optional.of(List.of("onyx-api-srv")), Optional.empty()),
                Optional.empty(),
                false,
                false,
                Duration.ofSeconds(5),
                workdir,
                Optional.empty(),
                Duration.ZERO);

        assertThatThrownBy(() -> freezer().freeze(request)).isInstanceOfSatisfying(StepFailure.class, failure -> {
            assertThat(failure.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION);
            assertThat(failure.getMessage()).contains("FERRY_FREEZE_WORKLOADS names onyx-api-srv");
        });
    }

    @Test
    void addsTheFreezeRecordToAnExistingManifest() throws Exception {
        cluster.installLegacyManifests();
        Workspace.at(workdir)
                .writeManifest(new Manifest(
                        Manifest.FORMAT_VERSION,
                        "m-1",
                        Instant.parse("2026-11-25T00:00:00Z"),
                        null,
                        null,
                        List.of(),
                        null,
                        null,
                        null));

        freezeWhileControllerStopsPods(request(false, false));

        Manifest manifest = Workspace.at(workdir).readManifest();
        assertThat(manifest.migrationId()).isEqualTo("m-1");
        assertThat(manifest.freeze().namespace()).isEqualTo(client.getNamespace());
        assertThat(replicasByName(manifest.freeze())).isEqualTo(OnyxCluster.LEGACY_WRITERS);
    }

    @Test
    void warnsAboutAutoscalersTargetingAWriter() {
        cluster.installHelmChart();
        cluster.horizontalPodAutoscaler("onyx-api-server", 2, 6);

        List<String> findings = new AutoscalerCheck(client, client.getNamespace())
                .findings(workloads.list().stream()
                        .filter(w -> w.name().equals("onyx-api-server"))
                        .toList());

        assertThat(findings)
                .singleElement()
                .asString()
                .contains("HorizontalPodAutoscaler onyx-api-server targets Deployment/onyx-api-server");
    }

    @Test
    void aDryRunPlansThePauseOfAWritersKedaScaledObjectAndChangesNothing() throws Exception {
        cluster.installLegacyManifests();
        PlayedKeda keda = new PlayedKeda(client, client.getNamespace());
        keda.scaledObject("background", "background-deployment", 1, Map.of());

        Freezer.Outcome outcome = freezer().freeze(request(true, false));

        assertThat(outcome.record().pausedScaledObjects()).containsExactly("background");
        assertThat(keda.annotations("background")).isEmpty();
        assertThat(workloads
                        .find(WorkloadKind.DEPLOYMENT, "background-deployment")
                        .orElseThrow()
                        .replicas())
                .isEqualTo(1);
    }

    private Freezer freezer() {
        return new Freezer(
                workloads,
                new AutoscalerCheck(client, client.getNamespace()),
                new ScaledObjects(client, client.getNamespace()),
                new Polling(FAST));
    }

    private Freezer.Request request(boolean dryRun, boolean ignoreGitOps) {
        return new Freezer.Request(
                new WriterSelection(Optional.empty(), Optional.empty()),
                Optional.empty(),
                ignoreGitOps,
                dryRun,
                Duration.ofSeconds(20),
                workdir,
                Optional.empty(),
                Duration.ZERO);
    }

    /** Runs freeze and, as the ReplicaSet controller would, removes each workload's pods once it is scaled to 0. */
    private Freezer.Outcome freezeWhileControllerStopsPods(Freezer.Request request) throws Exception {
        CompletableFuture<Freezer.Outcome> freeze = CompletableFuture.supplyAsync(() -> {
            try {
                return freezer().freeze(request);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Polling controller = new Polling(FAST);
        boolean settled = controller.until(Duration.ofSeconds(20), () -> {
            for (Workload workload : workloads.list()) {
                if (workload.replicas() == 0 && !cluster.pods(workload.name()).isEmpty()) {
                    cluster.stopPods(workload.name());
                }
            }
            return freeze.isDone();
        });
        assertThat(settled).as("freeze finished").isTrue();
        return freeze.get(1, TimeUnit.SECONDS);
    }

    private Map<String, Integer> replicasByName(Manifest.Freeze record) {
        return record.workloads().stream()
                .collect(Collectors.toMap(Manifest.FrozenWorkload::name, Manifest.FrozenWorkload::replicas));
    }
}
