package dev.ferry.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.harness.LocalCluster;
import dev.ferry.harness.MockCluster;
import dev.ferry.harness.PipelineRunOutcome;
import dev.ferry.harness.PipelineRunner;
import dev.ferry.harness.TaskRunOutcome;
import dev.ferry.harness.TektonFiles;
import dev.ferry.testing.follow.FollowRig;
import dev.ferry.testing.follow.FollowServers;
import dev.ferry.testing.kube.OnyxCluster;
import dev.ferry.testing.pg.OnyxFixture;
import dev.ferry.testing.pg.OnyxWriter;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follow pipelines ({@code pipelines/tekton/follow-start.yaml}, {@code follow-import.yaml},
 * {@code follow-cutover.yaml}, {@code follow-abandon.yaml}) run from their YAML through the local harness, as a user
 * runs them: ferry-follow-start on the "old cluster" (a PostgreSQL 15 source with {@code wal_level=logical} and the
 * Onyx fixture, Onyx writing to it) and ferry-follow-import on the "new cluster" (PostgreSQL 17) run at the same time,
 * each its own PipelineRun that lasts until the cutover, while ferry-follow-cutover or ferry-follow-abandon ends them.
 * Every step is the built program; the bucket is a real S3 server; the tests play only the controllers the
 * Kubernetes API doubles lack.
 */
class FollowPipelinesIT {

    private static final Path PROJECT_ROOT = Path.of(System.getProperty("ferry.project.root", ".."))
            .toAbsolutePath()
            .normalize();
    private static final String NAMESPACE = "onyx";
    private static final String BUCKET = "ferry-follow-pipelines";
    private static final String DATABASE = "onyx";
    private static final String NEW_REVISION = "9f1e2d3c4b5a";
    private static final String ALEMBIC_IMAGE = "docker.io/onyxdotapp/onyx-backend:v2.1.0";
    /** How long a run or a condition may take before the test gives up instead of hanging (a guard, not a check). */
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    @TempDir
    Path temp;

    private FollowServers servers;
    private final ExecutorService runs = Executors.newCachedThreadPool();

    @BeforeEach
    void startParts() throws Exception {
        servers = FollowServers.start(PgMajor.EXTRA, PgMajor.LATEST, DATABASE, BUCKET);
        // What follow-preflight asks of every source before a follow: a cap on the WAL a slot may keep.
        try (Connection c = servers.source().connect(DATABASE);
                Statement sql = c.createStatement()) {
            sql.execute("ALTER SYSTEM SET max_slot_wal_keep_size = '2GB'");
            sql.execute("SELECT pg_reload_conf()");
        }
    }

    @AfterEach
    void stopParts() {
        runs.shutdownNow();
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void aWholeFollowCopiesFollowsCutsOverAndLeavesTheTargetEqualToTheFrozenSource() throws Exception {
        PostgresServer source = servers.source();
        PostgresServer target = servers.target();
        String migrationId = "follow-whole";
        FollowRig rig = rig(migrationId);
        String identityBefore = replicaIdentity(source);
        try (MockCluster old = new MockCluster(NAMESPACE).playDeploymentController();
                MockCluster fresh = newCluster();
                OnyxWriter writer = OnyxWriter.start(source, DATABASE)) {
            old.onyx().installHelmChart();
            // Onyx's writers stop writing when the freeze scales them down: the played kubelet ends their pods.
            AtomicBoolean stoppedByFreeze = new AtomicBoolean();
            Watch scaleDowns = stopWriterOnScaleDown(old, writer, stoppedByFreeze);
            try {
                writer.awaitTransactions(20, PATIENCE);
                CompletableFuture<TaskRunOutcome> uploaded = new CompletableFuture<>();
                CompletableFuture<PipelineRunOutcome> start = inThread(() -> runner(old, source, "start")
                        .onTaskRun(ended -> {
                            if (ended.pipelineTask().equals("upload")) {
                                uploaded.complete(ended);
                            }
                        })
                        .run(
                                "pipelines/tekton/follow-start.yaml",
                                exactCounts(startParams(migrationId)),
                                Map.of("data", folder("start-data")),
                                folder("start-runs")));
                awaitWhileRunning(
                        start,
                        "capture's heartbeat in the bucket",
                        () -> rig.object("capture-heartbeat.json").isPresent());
                TaskRunOutcome upload = uploaded.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertThat(upload.status().label()).as(upload.output()).isEqualTo("Succeeded");

                CompletableFuture<PipelineRunOutcome> imported = importAndFollow(fresh, target, rig);

                PipelineRunOutcome cutover = runner(old, source, "cutover")
                        .onTaskRun(ended -> {
                            if (ended.pipelineTask().equals("freeze")) {
                                // The scale-down stopped the writer; its last transaction is committed before drain.
                                writer.stop();
                            }
                        })
                        .run(
                                "pipelines/tekton/follow-cutover.yaml",
                                cutoverParams(migrationId),
                                Map.of("data", folder("cutover-data")),
                                folder("cutover-runs"));
                PipelineRunOutcome started = start.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                PipelineRunOutcome followed = imported.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

                assertThat(stoppedByFreeze)
                        .as("the freeze's scale-down stopped the writer")
                        .isTrue();
                // A run whose finally task was skipped by its when ends Completed (Succeeded=True), as in Tekton.
                assertThat(cutover.status()).as(cutover::describe).isEqualTo("Completed");
                assertThat(cutover.statuses())
                        .containsExactly(
                                Map.entry("check-lag", "Succeeded"),
                                Map.entry("freeze", "Succeeded"),
                                Map.entry("drain", "Succeeded"),
                                Map.entry("finish", "Succeeded"),
                                Map.entry("unfreeze", "Skipped"));
                assertThat(started.status()).as(started::describe).isEqualTo("Completed");
                assertThat(started.statuses())
                        .containsEntry("preflight", "Succeeded")
                        .containsEntry("dump", "Succeeded")
                        .containsEntry("upload", "Succeeded")
                        .containsEntry("capture", "Succeeded")
                        .containsEntry("abandon", "Skipped");
                // final-counts=exact counts every table, and the base copy's counts plus the changes capture
                // decoded match each count (a table where they part is a warning line).
                assertThat(started.taskRun("capture").orElseThrow().output())
                        .contains("marker=cutover")
                        .contains("phase=snapshot-rows source=manifest")
                        .containsPattern("tables=(\\d+) tables_counted=\\1 ")
                        .doesNotContain("phase=final-state-rows");
                assertThat(followed.taskRun("apply").orElseThrow().output())
                        .containsPattern("tables=(\\d+) tables_counted=\\1 ");
                assertThat(started.results()).containsEntry("migration-id", migrationId);
                assertThat(followed.status()).as(followed::describe).isEqualTo("Succeeded");
                assertThat(followed.taskRuns())
                        .extracting(TaskRunOutcome::pipelineTask)
                        .containsExactly(
                                "download", "restore", "validate", "apply", "alembic-run", "scale-up", "upload-report");
                assertThat(followed.results())
                        .containsEntry("verdict", "passed")
                        .containsEntry("proof", "passed");
                for (Map.Entry<String, Integer> onyxWriter : OnyxCluster.HELM_WRITERS.entrySet()) {
                    assertThat(fresh.onyx()
                                    .getDeployment(onyxWriter.getKey())
                                    .getSpec()
                                    .getReplicas())
                            .as("new cluster " + onyxWriter.getKey())
                            .isEqualTo(onyxWriter.getValue());
                    assertThat(old.onyx()
                                    .getDeployment(onyxWriter.getKey())
                                    .getSpec()
                                    .getReplicas())
                            .as("old cluster " + onyxWriter.getKey() + " stays frozen")
                            .isZero();
                }
                assertThat(old.controllerErrors()).isEmpty();
                assertThat(fresh.controllerErrors()).isEmpty();
            } finally {
                scaleDowns.close();
            }
        }
        assertTheFollowIsGone(source);
        assertThat(replicaIdentity(source)).isEqualTo(identityBefore);
        // Row by row the target is the frozen source, but for what the new release's migration changed after the
        // proof (alembic-run).
        assertThat(rig.tablesThatDiffer(source, target))
                .as("tables whose rows differ, row by row")
                .containsExactly("public.alembic_version");
        try (Connection c = target.connect(DATABASE)) {
            assertThat(single(c, "SELECT version_num FROM public.alembic_version"))
                    .isEqualTo(NEW_REVISION);
        }
    }

    @Test
    void anAbandonedFollowEndsBothRunsAndScalesNothingUp() throws Exception {
        PostgresServer source = servers.source();
        PostgresServer target = servers.target();
        String migrationId = "follow-abandoned";
        FollowRig rig = rig(migrationId);
        try (MockCluster old = new MockCluster(NAMESPACE).playDeploymentController();
                MockCluster fresh = newCluster()) {
            old.onyx().installHelmChart();
            CompletableFuture<PipelineRunOutcome> start = inThread(() -> runner(old, source, "start")
                    .run(
                            "pipelines/tekton/follow-start.yaml",
                            startParams(migrationId),
                            Map.of("data", folder("start-data")),
                            folder("start-runs")));
            awaitWhileRunning(
                    start,
                    "capture's heartbeat in the bucket",
                    () -> rig.object("capture-heartbeat.json").isPresent());
            CompletableFuture<PipelineRunOutcome> imported = importAndFollow(fresh, target, rig);

            // follow-abandon binds no workspace: it needs none.
            PipelineRunOutcome abandoned = runner(old, source, "abandon")
                    .run(
                            "pipelines/tekton/follow-abandon.yaml",
                            followParams(migrationId),
                            Map.of(),
                            folder("abandon-runs"));
            PipelineRunOutcome started = start.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            PipelineRunOutcome followed = imported.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

            assertThat(abandoned.status()).as(abandoned::describe).isEqualTo("Succeeded");
            // Capture's WAL sender was terminated: its TaskRun (and every retry, the slot being gone) failed, and
            // the start run's finally abandon ran and found nothing left.
            assertThat(started.status()).as(started::describe).isEqualTo("Failed");
            assertThat(started.statuses())
                    .containsEntry("dump", "Succeeded")
                    .containsEntry("upload", "Succeeded")
                    .containsEntry("capture", "Failed")
                    .containsEntry("abandon", "Succeeded");
            TaskRunOutcome apply = followed.taskRun("apply").orElseThrow();
            assertThat(followed.status()).as(followed::describe).isEqualTo("Failed");
            assertThat(apply.status().label()).isEqualTo("Failed");
            assertThat(apply.exitCode()).as(apply.output()).isEqualTo(3);
            assertThat(apply.output()).contains("abandoned");
            assertThat(followed.statuses())
                    .containsEntry("alembic-run", "Skipped")
                    .containsEntry("scale-up", "Skipped");
            for (String onyxWriter : OnyxCluster.HELM_WRITERS.keySet()) {
                assertThat(fresh.onyx().getDeployment(onyxWriter).getSpec().getReplicas())
                        .as("new cluster " + onyxWriter)
                        .isZero();
            }
        }
        assertTheFollowIsGone(source);
    }

    /** A dump refused because a follow exists must leave that follow alone: finally abandons only a follow it made. */
    @Test
    void aStartRefusedBecauseAFollowExistsLeavesThatFollowsSlotAlone() throws Exception {
        PostgresServer source = servers.source();
        try (Connection c = source.connect(DATABASE);
                Statement sql = c.createStatement()) {
            sql.execute("SELECT pg_create_logical_replication_slot('" + FollowRig.SLOT + "', 'pgoutput')");
        }
        try (MockCluster old = new MockCluster(NAMESPACE).playDeploymentController()) {
            old.onyx().installHelmChart();

            PipelineRunOutcome started = runner(old, source, "start")
                    .run(
                            "pipelines/tekton/follow-start.yaml",
                            startParams("follow-refused"),
                            Map.of("data", folder("start-data")),
                            folder("start-runs"));

            assertThat(started.status()).as(started::describe).isEqualTo("Failed");
            assertThat(started.statuses())
                    .containsExactly(
                            Map.entry("preflight", "Succeeded"),
                            Map.entry("dump", "Failed"),
                            Map.entry("upload", "Skipped"),
                            Map.entry("capture", "Skipped"),
                            Map.entry("abandon", "Skipped"));
            TaskRunOutcome dump = started.taskRun("dump").orElseThrow();
            assertThat(dump.exitCode()).as(dump.output()).isEqualTo(3);
            assertThat(dump.output()).contains("the replication slot " + FollowRig.SLOT + " exists on the source");
            // Skipped twice over: dump wrote no migration-id for it (MissingResultsSkip), and its when wants a dump
            // that
            // succeeded.
            assertThat(started.taskRun("abandon").orElseThrow().reason()).startsWith("MissingResultsSkip");
        }
        try (Connection c = source.connect(DATABASE)) {
            assertThat(FollowRig.slotExists(c, FollowRig.SLOT))
                    .as("the other follow's slot")
                    .isTrue();
        }
    }

    /** Starts ferry-follow-import on the new cluster in a thread of its own; returns once apply reports progress. */
    private CompletableFuture<PipelineRunOutcome> importAndFollow(
            MockCluster fresh, PostgresServer target, FollowRig rig) throws InterruptedException {
        CompletableFuture<PipelineRunOutcome> imported = inThread(() -> runner(fresh, target, "import")
                .run(
                        "pipelines/tekton/follow-import.yaml",
                        importParams(rig.migrationId()),
                        Map.of("data", folder("import-data")),
                        folder("import-runs")));
        awaitWhileRunning(
                imported,
                "apply's progress in the bucket",
                () -> rig.object("apply-progress.json").isPresent());
        return imported;
    }

    /** The new cluster: Onyx installed with its writers at 0, the alembic Job migrating the target as its image would. */
    private MockCluster newCluster() {
        MockCluster fresh =
                new MockCluster(NAMESPACE).playDeploymentController().playJobController(job -> migrateTarget());
        OnyxCluster.HELM_WRITERS.keySet().forEach(writer -> fresh.onyx().deployment(writer, 0, Map.of()));
        OnyxCluster.HELM_NON_WRITERS.forEach(other -> fresh.onyx().deployment(other, 1, Map.of()));
        return fresh;
    }

    /** Stops {@code writer} once the freeze has scaled any of Onyx's writers to 0, as Onyx stops writing then. */
    private static Watch stopWriterOnScaleDown(MockCluster old, OnyxWriter writer, AtomicBoolean stopped) {
        return old.client().apps().deployments().inNamespace(NAMESPACE).watch(new Watcher<Deployment>() {
            @Override
            public void eventReceived(Action action, Deployment deployment) {
                if (OnyxCluster.HELM_WRITERS.containsKey(
                                deployment.getMetadata().getName())
                        && deployment.getSpec().getReplicas() == 0
                        && stopped.compareAndSet(false, true)) {
                    writer.stop();
                }
            }

            @Override
            public void onClose(WatcherException cause) {}
        });
    }

    private void assertTheFollowIsGone(PostgresServer source) throws SQLException {
        try (Connection c = source.connect(DATABASE)) {
            assertThat(FollowRig.slotExists(c, FollowRig.SLOT))
                    .as("the follow's slot")
                    .isFalse();
            assertThat(single(c, "SELECT count(*) FROM pg_publication WHERE pubname = '" + FollowRig.PUBLICATION + "'"))
                    .as("the follow's publication")
                    .isEqualTo("0");
        }
    }

    private static String replicaIdentity(PostgresServer source) throws SQLException {
        try (Connection c = source.connect(DATABASE)) {
            return single(c, "SELECT relreplident FROM pg_class WHERE oid = 'public.chat_message'::regclass");
        }
    }

    /** What {@code alembic upgrade head} in the new image does to the restored database. */
    private String migrateTarget() throws SQLException {
        try (Connection connection = servers.target().connect(DATABASE);
                Statement sql = connection.createStatement()) {
            sql.executeUpdate("UPDATE public.alembic_version SET version_num = '" + NEW_REVISION + "'");
        }
        return "INFO  [alembic.runtime.migration] Running upgrade " + OnyxFixture.ALEMBIC_HEAD + " -> " + NEW_REVISION
                + ", test\n";
    }

    private FollowRig rig(String migrationId) {
        return new FollowRig(servers.s3(), BUCKET, "follow", migrationId, DATABASE, temp);
    }

    private CompletableFuture<PipelineRunOutcome> inThread(ThrowingSupplier<PipelineRunOutcome> run) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return run.get();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                runs);
    }

    /** Waits for {@code reached}; fails at once, with the run's story, when the run ended before it. */
    private static void awaitWhileRunning(
            CompletableFuture<PipelineRunOutcome> run, String what, BooleanSupplier reached)
            throws InterruptedException {
        FollowRig.await(what, () -> run.isDone() || reached.getAsBoolean(), PATIENCE);
        if (!reached.getAsBoolean()) {
            throw new AssertionError(
                    what + ": the run ended first\n" + run.join().describe());
        }
    }

    private PipelineRunner runner(MockCluster kube, PostgresServer database, String name) throws Exception {
        LocalCluster cluster = LocalCluster.onyx(
                        NAMESPACE, database, DATABASE, servers.s3().stepEnvironment())
                .kubeconfig(kube.writeKubeconfig(folder(name + "-kube")));
        return new PipelineRunner(new TektonFiles(PROJECT_ROOT), cluster, line -> {});
    }

    /** What every follow pipeline takes: the bucket and the follow's migration id. */
    private Map<String, String> followParams(String migrationId) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("s3-bucket", BUCKET);
        params.put("s3-prefix", "follow");
        params.put("s3-path-style", "true");
        params.put("s3-region", servers.s3().stepEnvironment().get("AWS_REGION"));
        params.put("migration-id", migrationId);
        return params;
    }

    /** {@code params} with the final state's rows counted on both sides, not taken from the base copy's counts. */
    private static Map<String, String> exactCounts(Map<String, String> params) {
        params.put("final-counts", "exact");
        return params;
    }

    private Map<String, String> startParams(String migrationId) {
        Map<String, String> params = followParams(migrationId);
        params.put("segment-max-age", "1s");
        params.put("heartbeat-interval", "1s");
        return params;
    }

    private Map<String, String> importParams(String migrationId) {
        Map<String, String> params = followParams(migrationId);
        params.put("namespace", NAMESPACE);
        params.put("alembic-image", ALEMBIC_IMAGE);
        params.put("restore-jobs", "2");
        params.put("final-state-timeout", "2m");
        // Onyx's writers at the counts the Helm chart gives them: nothing recorded them on the new cluster.
        StringJoiner replicas = new StringJoiner(",");
        OnyxCluster.HELM_WRITERS.forEach((writer, count) -> replicas.add(writer + "=" + count));
        params.put("replicas", replicas.toString());
        return params;
    }

    private Map<String, String> cutoverParams(String migrationId) {
        Map<String, String> params = followParams(migrationId);
        params.put("namespace", NAMESPACE);
        params.put("drain-timeout", "2m");
        return params;
    }

    private static String single(Connection c, String query) throws SQLException {
        try (Statement sql = c.createStatement();
                ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private Path folder(String name) throws Exception {
        return Files.createDirectories(temp.resolve(name));
    }

    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }
}
