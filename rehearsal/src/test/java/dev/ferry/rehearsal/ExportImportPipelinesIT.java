package dev.ferry.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.harness.LocalCluster;
import dev.ferry.harness.MockCluster;
import dev.ferry.harness.PipelineRunOutcome;
import dev.ferry.harness.PipelineRunner;
import dev.ferry.harness.TaskRunOutcome;
import dev.ferry.harness.TektonFiles;
import dev.ferry.testing.kube.OnyxCluster;
import dev.ferry.testing.pg.OnyxFixture;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import dev.ferry.testing.s3.S3TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipelines/tekton/export.yaml} and {@code import.yaml} run from their YAML through the local
 * harness, every step the built program: an Onyx-shaped PostgreSQL 14 on the "old cluster" (a CRUD
 * Kubernetes API double with the Helm chart's workloads) is frozen, dumped and uploaded to a real S3
 * server; on the "new cluster" (a second API double, writers installed at 0) it is downloaded,
 * restored into PostgreSQL 16, validated, migrated by the alembic Job and the writers scaled up.
 * The tests play only the controllers the doubles lack.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportImportPipelinesIT {

    private static final Path PROJECT_ROOT = Path.of(System.getProperty("ferry.project.root", ".."))
            .toAbsolutePath()
            .normalize();
    private static final String NAMESPACE = "onyx";
    private static final String BUCKET = "ferry-pipelines";
    private static final String DATABASE = "onyx";
    private static final String MULTI_TENANT_DATABASE = "onyx_mt";
    private static final String NEW_REVISION = "9f1e2d3c4b5a";
    private static final String ALEMBIC_IMAGE = "docker.io/onyxdotapp/onyx-backend:v2.1.0";

    private PostgresServer source;
    private PostgresServer target;
    private S3TestServer s3;

    @TempDir
    Path temp;

    @BeforeAll
    void startParts() throws Exception {
        source = PostgresServer.start(PgMajor.SOURCE);
        target = PostgresServer.start(PgMajor.TARGET);
        s3 = S3TestServer.startTransient();
        s3.createBucket(BUCKET);
        OnyxFixture.singleTenant().installInto(source, DATABASE);
        OnyxFixture.multiTenant().installInto(source, MULTI_TENANT_DATABASE);
    }

    @AfterAll
    void stopParts() throws Exception {
        for (AutoCloseable part : new AutoCloseable[] {source, target, s3}) {
            if (part != null) {
                part.close();
            }
        }
    }

    @Test
    void exportThenImportMovesTheDatabaseAndBringsOnyxUpOnTheNewCluster() throws Exception {
        String migrationId;
        try (MockCluster old = new MockCluster(NAMESPACE).playDeploymentController()) {
            old.onyx().installHelmChart();

            PipelineRunOutcome export = runner(old, source, "old")
                    .run(
                            "pipelines/tekton/export.yaml",
                            s3Params("export-ok"),
                            Map.of("data", folder("old-data")),
                            folder("old-runs"));

            assertThat(export.status()).as(() -> export.describe()).isEqualTo("Completed");
            assertEveryResultIsDeclared(export);
            assertThat(export.statuses())
                    .containsExactly(
                            Map.entry("freeze", "Succeeded"),
                            Map.entry("dump", "Succeeded"),
                            Map.entry("upload", "Succeeded"),
                            Map.entry("unfreeze", "Skipped"));
            assertThat(export.taskRun("unfreeze").orElseThrow().reason()).startsWith("WhenExpressionsSkip");
            // freeze started the unfreeze guard for this very run before it scaled anything down.
            assertThat(old.client()
                            .batch()
                            .v1()
                            .jobs()
                            .inNamespace(NAMESPACE)
                            .withName("ferry-unfreeze-guard-ferry-export-run")
                            .get())
                    .isNotNull()
                    .satisfies(guard -> assertThat(guard.getSpec()
                                    .getTemplate()
                                    .getSpec()
                                    .getContainers()
                                    .get(0)
                                    .getEnv())
                            .anySatisfy(env -> {
                                assertThat(env.getName()).isEqualTo("FERRY_SCALE_UP_GUARD_PIPELINE_RUN");
                                assertThat(env.getValue()).isEqualTo(NAMESPACE + "/ferry-export-run");
                            }));
            for (String writer : OnyxCluster.HELM_WRITERS.keySet()) {
                assertThat(old.onyx().getDeployment(writer).getSpec().getReplicas())
                        .as(writer)
                        .isZero();
                assertThat(old.onyx().pods(writer)).as(writer).isEmpty();
            }
            assertThat(old.onyx().getDeployment("onyx-web-server").getSpec().getReplicas())
                    .isEqualTo(1);
            assertThat(old.controllerErrors()).isEmpty();
            migrationId = export.results().get("migration-id");
            assertThat(migrationId).isNotBlank();
            assertThat(export.results().get("manifest-uri"))
                    .startsWith("s3://" + BUCKET + "/export-ok/" + migrationId + "/");
        }

        try (MockCluster fresh =
                new MockCluster(NAMESPACE).playDeploymentController().playJobController(job -> migrateTarget())) {
            OnyxCluster.HELM_WRITERS.keySet().forEach(writer -> fresh.onyx().deployment(writer, 0, Map.of()));
            OnyxCluster.HELM_NON_WRITERS.forEach(other -> fresh.onyx().deployment(other, 1, Map.of()));
            Map<String, String> params = s3Params("export-ok");
            params.put("migration-id", migrationId);
            params.put("alembic-image", ALEMBIC_IMAGE);
            params.put("restore-jobs", "2");

            PipelineRunOutcome imported = runner(fresh, target, "new")
                    .run(
                            "pipelines/tekton/import.yaml",
                            params,
                            Map.of("data", folder("new-data")),
                            folder("new-runs"));

            assertThat(imported.status()).as(() -> imported.describe()).isEqualTo("Succeeded");
            assertEveryResultIsDeclared(imported);
            assertThat(imported.taskRuns())
                    .extracting(TaskRunOutcome::pipelineTask)
                    .containsExactly("download", "restore", "validate", "alembic-run", "scale-up", "upload-report");
            assertThat(imported.results())
                    .containsEntry("migration-id", migrationId)
                    .containsEntry("verdict", "passed")
                    .containsEntry("revision-after", NEW_REVISION);
            // The outage from the old cluster's freeze on: the export's steps travelled in the manifest.
            assertThat(imported.results().get("predicted-downtime")).matches("\\d+ min \\d\\d s");
            assertThat(java.nio.file.Files.readString(folder("new-data").resolve("report/validation.md")))
                    .containsPattern(
                            "\\| \\*\\*Outage\\*\\* \\| predicted \\*\\*[^*]+\\*\\*: freeze [0-9.]+ s, dump [0-9.]+ s,"
                                    + " upload [0-9.]+ s, download [0-9.]+ s, restore [0-9.]+ s, validate [0-9.]+ s,"
                                    + " alembic-run 1 min 00 s \\(assumed\\), scale-up 2 min 00 s \\(assumed\\)");
            for (Map.Entry<String, Integer> writer : OnyxCluster.HELM_WRITERS.entrySet()) {
                var deployment = fresh.onyx().getDeployment(writer.getKey());
                assertThat(deployment.getSpec().getReplicas())
                        .as(writer.getKey())
                        .isEqualTo(writer.getValue());
                assertThat(deployment.getStatus().getAvailableReplicas())
                        .as(writer.getKey())
                        .isEqualTo(writer.getValue());
            }
            assertThat(fresh.client()
                            .batch()
                            .v1()
                            .jobs()
                            .inNamespace(NAMESPACE)
                            .list()
                            .getItems())
                    .singleElement()
                    .satisfies(job -> assertThat(job.getSpec()
                                    .getTemplate()
                                    .getSpec()
                                    .getContainers()
                                    .get(0)
                                    .getImage())
                            .isEqualTo(ALEMBIC_IMAGE));
            assertThat(fresh.controllerErrors()).isEmpty();
        }
        try (Connection from = source.connect(DATABASE);
                Connection to = target.connect(DATABASE)) {
            assertThat(count(to, "SELECT count(*) FROM public.chat_message"))
                    .isEqualTo(count(from, "SELECT count(*) FROM public.chat_message"))
                    .isPositive();
        }
    }

    @Test
    void aMultiTenantOnyxGoesThroughExportAndImportWithEveryTenantMigrated() throws Exception {
        String migrationId;
        try (MockCluster old = new MockCluster(NAMESPACE).playDeploymentController()) {
            old.onyx().installHelmChart();
            PipelineRunOutcome export = runner(old, source, "old-mt", MULTI_TENANT_DATABASE)
                    .run(
                            "pipelines/tekton/export.yaml",
                            s3Params("export-mt"),
                            Map.of("data", folder("old-mt-data")),
                            folder("old-mt-runs"));
            assertThat(export.status()).as(() -> export.describe()).isEqualTo("Completed");
            migrationId = export.results().get("migration-id");
        }

        java.util.List<String> commands = new java.util.ArrayList<>();
        try (MockCluster fresh = new MockCluster(NAMESPACE)
                .playDeploymentController()
                .playJobController(job -> {
                    commands.addAll(job.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getCommand());
                    return migrateEverySchema();
                })) {
            OnyxCluster.HELM_WRITERS.keySet().forEach(writer -> fresh.onyx().deployment(writer, 0, Map.of()));
            Map<String, String> params = s3Params("export-mt");
            params.put("migration-id", migrationId);
            params.put("alembic-image", ALEMBIC_IMAGE);

            PipelineRunOutcome imported = runner(fresh, target, "new-mt", MULTI_TENANT_DATABASE)
                    .run(
                            "pipelines/tekton/import.yaml",
                            params,
                            Map.of("data", folder("new-mt-data")),
                            folder("new-mt-runs"));

            assertThat(imported.status()).as(() -> imported.describe()).isEqualTo("Succeeded");
            assertEveryResultIsDeclared(imported);
            assertThat(imported.results())
                    .containsEntry("verdict", "passed")
                    .containsEntry("revision-after", NEW_REVISION);
            // Onyx's two multi-tenant steps in one Job: the public tree, then every tenant, by Onyx's parallel
            // runner when the image has one.
            assertThat(commands).hasSize(3).startsWith("/bin/sh", "-c");
            assertThat(commands.get(2))
                    .startsWith("alembic -n schema_private upgrade head && /bin/sh -c 'if [ -f"
                            + " alembic/run_multitenant_migrations.py ]; then exec")
                    .contains("else exec alembic -x upgrade_all_tenants=true upgrade head; fi'");
            Map<String, String> alembic =
                    imported.taskRun("alembic-run").orElseThrow().results();
            assertThat(alembic)
                    .containsEntry("schemas", Integer.toString(1 + OnyxFixture.TENANT_SCHEMAS.size()))
                    .containsEntry("schemas-changed", Integer.toString(1 + OnyxFixture.TENANT_SCHEMAS.size()));
            for (String writer : OnyxCluster.HELM_WRITERS.keySet()) {
                assertThat(fresh.onyx().getDeployment(writer).getSpec().getReplicas())
                        .as(writer)
                        .isEqualTo(OnyxCluster.HELM_WRITERS.get(writer));
            }
        }
        try (Connection from = source.connect(MULTI_TENANT_DATABASE);
                Connection to = target.connect(MULTI_TENANT_DATABASE)) {
            for (String tenant : OnyxFixture.TENANT_SCHEMAS) {
                String messages = "SELECT count(*) FROM \"" + tenant + "\".chat_message";
                assertThat(count(to, messages)).isEqualTo(count(from, messages)).isPositive();
            }
        }
    }

    /** The Start dialog's default workspace, "Empty Directory": refused at the first task, before any writer stops. */
    @Test
    void anExportOnAnEmptyDirWorkspaceIsRefusedBeforeAnythingIsFrozen() throws Exception {
        try (MockCluster old = new MockCluster(NAMESPACE).playDeploymentController()) {
            old.onyx().installHelmChart();

            PipelineRunOutcome export = runner(old, source, "old")
                    .emptyDir("data")
                    .run(
                            "pipelines/tekton/export.yaml",
                            s3Params("export-emptydir"),
                            Map.of(),
                            folder("emptydir-runs"));

            assertThat(export.status()).isEqualTo("Failed");
            TaskRunOutcome freeze = export.taskRun("freeze").orElseThrow();
            assertThat(freeze.exitCode()).isEqualTo(2);
            assertThat(freeze.output())
                    .contains("the data workspace is no PersistentVolumeClaim")
                    .contains("VolumeClaimTemplate");
            assertWritersAtTheirCounts(old);
            assertThat(old.client()
                            .batch()
                            .v1()
                            .jobs()
                            .inNamespace(NAMESPACE)
                            .list()
                            .getItems())
                    .as("no guard either: nothing was frozen")
                    .isEmpty();
        }
    }

    /**
     * A cancelled export (or one that timed out) skips finally, so the pipeline itself leaves Onyx frozen; the guard
     * Job freeze started brings it back. The test plays Tekton (the PipelineRun's Cancelled condition) and the Job
     * controller (it runs the guard Job's container, the scale-up program, with the Job's own environment).
     */
    @Test
    void aCancelledExportSkipsFinallyAndTheGuardJobBringsTheWritersBack() throws Exception {
        try (MockCluster old = new MockCluster(NAMESPACE).playDeploymentController()) {
            old.onyx().installHelmChart();

            PipelineRunOutcome export = runner(old, source, "old")
                    .cancelAfter("dump")
                    .run(
                            "pipelines/tekton/export.yaml",
                            s3Params("export-cancelled"),
                            Map.of("data", folder("cancelled-data")),
                            folder("cancelled-runs"));

            assertThat(export.status()).isEqualTo("Cancelled");
            assertThat(export.statuses()).containsEntry("upload", "Skipped").containsEntry("unfreeze", "Skipped");
            for (String writer : OnyxCluster.HELM_WRITERS.keySet()) {
                assertThat(old.onyx().getDeployment(writer).getSpec().getReplicas())
                        .as("finally did not run: " + writer + " is still frozen")
                        .isZero();
            }

            // Tekton: the run is over, cancelled; no upload TaskRun was ever created.
            var pipelineRuns = new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder()
                    .withGroup("tekton.dev")
                    .withVersion("v1")
                    .withKind("PipelineRun")
                    .withPlural("pipelineruns")
                    .withNamespaced(true)
                    .build();
            var run = new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                    .withApiVersion("tekton.dev/v1")
                    .withKind("PipelineRun")
                    .withNewMetadata()
                    .withName("ferry-export-run")
                    .endMetadata()
                    .build();
            run.setAdditionalProperty(
                    "status",
                    Map.of(
                            "conditions",
                            java.util.List.of(Map.of("type", "Succeeded", "status", "False", "reason", "Cancelled"))));
            old.client()
                    .genericKubernetesResources(pipelineRuns)
                    .inNamespace(NAMESPACE)
                    .resource(run)
                    .create();

            // The Job controller: the guard's pod runs its container as the Job describes it.
            var guard = old.client()
                    .batch()
                    .v1()
                    .jobs()
                    .inNamespace(NAMESPACE)
                    .withName("ferry-unfreeze-guard-ferry-export-run")
                    .get()
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0);
            assertThat(guard.getImage()).contains("quay.io/ferry/ferry-scale-up@sha256:");
            Map<String, String> env = new LinkedHashMap<>();
            guard.getEnv().forEach(variable -> env.put(variable.getName(), variable.getValue()));
            env.put("FERRY_WORKDIR", folder("guard-tmp").toString());
            env.put("HOME", folder("guard-home").toString());
            env.put("KUBECONFIG", old.writeKubeconfig(folder("guard-kube")).toString());
            dev.ferry.testing.StepRun guarded = dev.ferry.testing.StepProgram.at(
                            PROJECT_ROOT.resolve("steps/scale-up/target/quarkus-app/quarkus-run.jar"))
                    .run(env, java.time.Duration.ofMinutes(2));

            assertThat(guarded.exitCode()).as(guarded.toString()).isZero();
            assertThat(guarded.output())
                    .contains("decision=unfreeze")
                    .contains("PipelineRun ferry-export-run ended failed (Cancelled) and upload never ran");
            assertWritersAtTheirCounts(old);
            assertThat(old.controllerErrors()).isEmpty();
        }
    }

    /** The console's Stop while dump runs: upload is skipped, $(tasks.status) reads Completed, Onyx must come back. */
    @Test
    void anExportStoppedFromTheConsoleLeavesNothingFrozen() throws Exception {
        try (MockCluster old = new MockCluster(NAMESPACE).playDeploymentController()) {
            old.onyx().installHelmChart();

            PipelineRunOutcome export = runner(old, source, "old")
                    .stopGracefullyAfter("dump")
                    .run(
                            "pipelines/tekton/export.yaml",
                            s3Params("export-stopped"),
                            Map.of("data", folder("stopped-data")),
                            folder("stopped-runs"));

            assertThat(export.statuses())
                    .containsExactly(
                            Map.entry("freeze", "Succeeded"),
                            Map.entry("dump", "Succeeded"),
                            Map.entry("upload", "Skipped"),
                            Map.entry("unfreeze", "Succeeded"));
            assertThat(export.taskRun("upload").orElseThrow().reason()).startsWith("GracefullyStoppedSkip");
            assertWritersAtTheirCounts(old);
            assertThat(old.controllerErrors()).isEmpty();
        }
    }

    /** timeouts.tasks runs out after dump: upload is skipped (TasksTimedOutSkip), finally must bring Onyx back. */
    @Test
    void anExportWhoseTasksTimeoutRunsOutLeavesNothingFrozen() throws Exception {
        try (MockCluster old = new MockCluster(NAMESPACE).playDeploymentController()) {
            old.onyx().installHelmChart();

            PipelineRunOutcome export = runner(old, source, "old")
                    .tasksTimeOutAfter("dump")
                    .run(
                            "pipelines/tekton/export.yaml",
                            s3Params("export-tasks-timeout"),
                            Map.of("data", folder("tasks-timeout-data")),
                            folder("tasks-timeout-runs"));

            assertThat(export.status()).isEqualTo("PipelineRunTimeout");
            assertThat(export.statuses())
                    .containsExactly(
                            Map.entry("freeze", "Succeeded"),
                            Map.entry("dump", "Succeeded"),
                            Map.entry("upload", "Skipped"),
                            Map.entry("unfreeze", "Succeeded"));
            assertThat(export.taskRun("upload").orElseThrow().reason()).startsWith("TasksTimedOutSkip");
            assertWritersAtTheirCounts(old);
            assertThat(old.controllerErrors()).isEmpty();
        }
    }

    @Test
    void aFailedUploadLeavesNothingFrozenOnTheOldCluster() throws Exception {
        try (MockCluster old = new MockCluster(NAMESPACE).playDeploymentController()) {
            old.onyx().installHelmChart();
            Map<String, String> params = s3Params("export-fails");
            params.put("s3-bucket", "no-such-bucket");

            PipelineRunOutcome export = runner(old, source, "old")
                    .run(
                            "pipelines/tekton/export.yaml",
                            params,
                            Map.of("data", folder("failed-data")),
                            folder("failed-runs"));

            assertThat(export.status()).isEqualTo("Failed");
            assertThat(export.statuses())
                    .containsExactly(
                            Map.entry("freeze", "Succeeded"),
                            Map.entry("dump", "Succeeded"),
                            Map.entry("upload", "Failed"),
                            Map.entry("unfreeze", "Succeeded"));
            TaskRunOutcome upload = export.taskRun("upload").orElseThrow();
            assertThat(upload.exitCode()).isNotZero();
            assertThat(upload.output()).contains("outcome=failed").contains("no-such-bucket");
            assertThat(export.results()).doesNotContainKey("migration-id").containsKey("frozen-workloads");
            for (Map.Entry<String, Integer> writer : OnyxCluster.HELM_WRITERS.entrySet()) {
                var deployment = old.onyx().getDeployment(writer.getKey());
                assertThat(deployment.getSpec().getReplicas())
                        .as(writer.getKey())
                        .isEqualTo(writer.getValue());
                assertThat(old.onyx().pods(writer.getKey())).as(writer.getKey()).hasSize(writer.getValue());
            }
            assertThat(old.controllerErrors()).isEmpty();
        }
    }

    /** What {@code alembic upgrade head} in the new image does to the restored database. */
    private String migrateTarget() throws SQLException {
        try (Connection connection = target.connect(DATABASE);
                Statement sql = connection.createStatement()) {
            sql.executeUpdate("UPDATE public.alembic_version SET version_num = '" + NEW_REVISION + "'");
        }
        return "INFO  [alembic.runtime.migration] Running upgrade " + OnyxFixture.ALEMBIC_HEAD + " -> " + NEW_REVISION
                + ", test\n";
    }

    /** What both multi-tenant alembic steps of the new image do: every schema at the new head. */
    private String migrateEverySchema() throws SQLException {
        try (Connection connection = target.connect(MULTI_TENANT_DATABASE);
                Statement sql = connection.createStatement()) {
            sql.executeUpdate("UPDATE public.alembic_version SET version_num = '" + NEW_REVISION + "'");
            for (String tenant : OnyxFixture.TENANT_SCHEMAS) {
                sql.executeUpdate("UPDATE \"" + tenant + "\".alembic_version SET version_num = '" + NEW_REVISION + "'");
            }
        }
        return "INFO  [alembic.runtime.migration] Running upgrade " + OnyxFixture.ALEMBIC_HEAD + " -> " + NEW_REVISION
                + ", test (public and " + OnyxFixture.TENANT_SCHEMAS.size() + " tenants)\n";
    }

    private PipelineRunner runner(MockCluster kube, PostgresServer database, String name) throws Exception {
        return runner(kube, database, name, DATABASE);
    }

    private PipelineRunner runner(MockCluster kube, PostgresServer database, String name, String databaseName)
            throws Exception {
        LocalCluster cluster = new LocalCluster(NAMESPACE)
                .configMap(
                        "env-configmap",
                        Map.of(
                                "POSTGRES_HOST",
                                database.host(),
                                "POSTGRES_PORT",
                                Integer.toString(database.port()),
                                "POSTGRES_DB",
                                databaseName,
                                "MULTI_TENANT",
                                Boolean.toString(!databaseName.equals(DATABASE))))
                .secret(
                        "onyx-postgresql",
                        Map.of("username", database.superuser(), "password", database.superuserPassword()))
                .secret(
                        "ferry-s3",
                        Map.of(
                                "AWS_ACCESS_KEY_ID",
                                s3.stepEnvironment().get("AWS_ACCESS_KEY_ID"),
                                "AWS_SECRET_ACCESS_KEY",
                                s3.stepEnvironment().get("AWS_SECRET_ACCESS_KEY"),
                                "AWS_ENDPOINT_URL_S3",
                                s3.stepEnvironment().get("AWS_ENDPOINT_URL_S3")))
                .kubeconfig(kube.writeKubeconfig(folder(name + "-kube")));
        return new PipelineRunner(new TektonFiles(PROJECT_ROOT), cluster, line -> {});
    }

    private Map<String, String> s3Params(String prefix) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("namespace", NAMESPACE);
        params.put("s3-bucket", BUCKET);
        params.put("s3-prefix", prefix);
        params.put("s3-path-style", "true");
        params.put("s3-region", s3.stepEnvironment().get("AWS_REGION"));
        return params;
    }

    /** Every writer of the Helm chart back at the count it had before the freeze. */
    private static void assertWritersAtTheirCounts(MockCluster cluster) {
        for (Map.Entry<String, Integer> writer : OnyxCluster.HELM_WRITERS.entrySet()) {
            assertThat(cluster.onyx().getDeployment(writer.getKey()).getSpec().getReplicas())
                    .as(writer.getKey())
                    .isEqualTo(writer.getValue());
        }
    }

    /** A result a step writes and its Task does not declare is lost on a real Tekton: none may be. */
    private static void assertEveryResultIsDeclared(PipelineRunOutcome run) {
        assertThat(run.taskRuns())
                .allSatisfy(task -> assertThat(task.undeclaredResults())
                        .as("results %s writes that its Task does not declare", task.pipelineTask())
                        .isEmpty());
    }

    private static long count(Connection connection, String query) throws SQLException {
        try (Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Path folder(String name) throws Exception {
        return Files.createDirectories(temp.resolve(name));
    }
}
