package dev.ferry.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.harness.LocalCluster;
import dev.ferry.harness.MockCluster;
import dev.ferry.harness.PipelineRunOutcome;
import dev.ferry.harness.PipelineRunner;
import dev.ferry.harness.StepContainers;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every step of the copy path in its image, run as its Task runs it: the images built here without a registry, then
 * {@code pipelines/tekton/export.yaml} on an "old cluster" (PostgreSQL 15 with Onyx-shaped data, a CRUD Kubernetes API
 * double with the Helm chart's writers) and {@code import.yaml} on a "new cluster" (PostgreSQL 17, a second double),
 * through the pipeline harness in its image mode: freeze → dump → upload, then download → restore → validate →
 * alembic-run → scale-up, each a podman container with the Task's command, env (secrets by name only),
 * securityContext (a random UID in group 0, no capabilities, no privilege escalation, a read-only root), limits and
 * mounts (emptyDirs, the workspace at /workspace/data, the results at /tekton/results).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StepImagesIT {

    private static final String NAMESPACE = OnyxNamespace.NAME;
    private static final String BUCKET = "ferry-images";
    private static final String DATABASE = "onyx";
    private static final String NEW_REVISION = "9f1e2d3c4b5a";
    private static final String ALEMBIC_IMAGE = "docker.io/onyxdotapp/onyx-backend:v2.1.0";

    private PostgresServer source;
    private PostgresServer target;
    private S3TestServer s3;
    private final List<String> harnessLog = new ArrayList<>();

    @TempDir
    Path temp;

    @BeforeAll
    void buildImagesAndStartParts() throws Exception {
        LocalImages.build();
        source = PostgresServer.start(PgMajor.EXTRA);
        target = PostgresServer.start(PgMajor.LATEST);
        s3 = S3TestServer.startTransient();
        s3.createBucket(BUCKET);
        OnyxFixture.singleTenant().installInto(source, DATABASE);
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
    void exportAndImportRunEveryStepInItsImageFromPostgres15Into17() throws Exception {
        assertThat(source.major().majorVersion()).isEqualTo(15);
        assertThat(target.major().majorVersion()).isEqualTo(17);
        StepContainers containers = new StepContainers("local", LocalImages.CONTAINERS_CONF);
        String migrationId;
        try (MockCluster old = new MockCluster(NAMESPACE).playDeploymentController()) {
            old.onyx().installHelmChart();

            PipelineRunOutcome export = runner(old, source, "old", containers)
                    .run(
                            "pipelines/tekton/export.yaml",
                            s3Params(),
                            Map.of("data", folder("old-data")),
                            folder("old-runs"));

            assertThat(export.status()).as(() -> export.describe()).isEqualTo("Completed");
            assertThat(export.statuses())
                    .containsExactly(
                            Map.entry("freeze", "Succeeded"),
                            Map.entry("dump", "Succeeded"),
                            Map.entry("upload", "Succeeded"),
                            Map.entry("unfreeze", "Skipped"));
            for (String writer : OnyxCluster.HELM_WRITERS.keySet()) {
                assertThat(old.onyx().getDeployment(writer).getSpec().getReplicas())
                        .as(writer)
                        .isZero();
            }
            assertThat(old.controllerErrors()).isEmpty();
            // The image's own pg_dump (18) dumped the 15 server: the source's version travels as a result.
            assertThat(export.taskRun("dump").orElseThrow().results().get("source-version"))
                    .startsWith("15.");
            migrationId = export.results().get("migration-id");
            assertThat(migrationId).isNotBlank();
        }

        try (MockCluster fresh =
                new MockCluster(NAMESPACE).playDeploymentController().playJobController(job -> migrateTarget())) {
            OnyxCluster.HELM_WRITERS.keySet().forEach(writer -> fresh.onyx().deployment(writer, 0, Map.of()));
            OnyxCluster.HELM_NON_WRITERS.forEach(other -> fresh.onyx().deployment(other, 1, Map.of()));
            Map<String, String> params = s3Params();
            params.put("migration-id", migrationId);
            params.put("alembic-image", ALEMBIC_IMAGE);

            PipelineRunOutcome imported = runner(fresh, target, "new", containers)
                    .run(
                            "pipelines/tekton/import.yaml",
                            params,
                            Map.of("data", folder("new-data")),
                            folder("new-runs"));

            assertThat(imported.status()).as(() -> imported.describe()).isEqualTo("Succeeded");
            assertThat(imported.taskRuns())
                    .extracting(TaskRunOutcome::pipelineTask)
                    .containsExactly("download", "restore", "validate", "alembic-run", "scale-up", "upload-report");
            assertThat(imported.results())
                    .containsEntry("migration-id", migrationId)
                    .containsEntry("verdict", "passed")
                    .containsEntry("revision-after", NEW_REVISION);
            for (Map.Entry<String, Integer> writer : OnyxCluster.HELM_WRITERS.entrySet()) {
                assertThat(fresh.onyx().getDeployment(writer.getKey()).getSpec().getReplicas())
                        .as(writer.getKey())
                        .isEqualTo(writer.getValue());
            }
            assertThat(fresh.controllerErrors()).isEmpty();
        }
        try (Connection from = source.connect(DATABASE);
                Connection to = target.connect(DATABASE)) {
            assertThat(count(to, "SELECT count(*) FROM public.chat_message"))
                    .isEqualTo(count(from, "SELECT count(*) FROM public.chat_message"))
                    .isPositive();
        }
        // Every step ran in its image with the Task's securityContext, the root read-only.
        assertThat(harnessLog)
                .filteredOn(line -> line.startsWith("taskrun=") && line.contains(" step="))
                .hasSize(9)
                .allSatisfy(line ->
                        assertThat(line).contains("image=localhost/ferry-").contains("uid=" + containers.uid()));
    }

    /** What {@code alembic upgrade head} in the new Onyx image does to the restored database. */
    private String migrateTarget() throws SQLException {
        try (Connection connection = target.connect(DATABASE);
                Statement sql = connection.createStatement()) {
            sql.executeUpdate("UPDATE public.alembic_version SET version_num = '" + NEW_REVISION + "'");
        }
        return "INFO  [alembic.runtime.migration] Running upgrade " + OnyxFixture.ALEMBIC_HEAD + " -> " + NEW_REVISION
                + ", test\n";
    }

    private PipelineRunner runner(MockCluster kube, PostgresServer database, String name, StepContainers containers)
            throws Exception {
        LocalCluster cluster = OnyxNamespace.of(database, DATABASE, s3, kube.writeKubeconfig(folder(name + "-kube")));
        return new PipelineRunner(new TektonFiles(LocalImages.PROJECT_ROOT), cluster, line -> {
                    synchronized (harnessLog) {
                        harnessLog.add(line);
                    }
                })
                .inImages(containers);
    }

    private Map<String, String> s3Params() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("namespace", NAMESPACE);
        params.putAll(OnyxNamespace.s3Params(s3, BUCKET, "images"));
        return params;
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
