package dev.ferry.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.harness.MockCluster;
import dev.ferry.harness.PipelineRunOutcome;
import dev.ferry.harness.PipelineRunner;
import dev.ferry.harness.StepContainers;
import dev.ferry.harness.TaskRunOutcome;
import dev.ferry.harness.TektonFiles;
import dev.ferry.testing.follow.FollowServers;
import dev.ferry.testing.pg.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
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
 * Each follow step in its image, run as its Task runs it (the harness's image mode: a random UID in group 0, a
 * read-only root, no capabilities, the Task's emptyDirs, secrets by name), against real parts: a PostgreSQL 15 source
 * with {@code wal_level=logical} and the Onyx fixture ({@code chat_message} with only {@code UNIQUE (id)}, as Onyx has
 * it), an empty PostgreSQL 17 target, an S3 server, and a Kubernetes API double for the guard capture arms. Each
 * answer is the step's own, read from the database and the bucket: preflight finds the source ready; capture, with no
 * base copy to follow, refuses naming the slot; abandon finds nothing to remove and tells the bucket the follow is
 * ABANDONED; then check-lag and apply, reading that heartbeat, refuse to go on with an abandoned follow.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FollowImagesIT {

    private static final String DATABASE = "onyx";
    private static final String BUCKET = "ferry-follow-images";
    private static final String PREFIX = "images";
    private static final String MIGRATION_ID = "follow-images-1";
    private static final String SLOT = "ferry_follow";
    /** Long enough for a loaded machine to start a JVM in a container; a step that hangs fails the TaskRun. */
    private static final String TASK_TIMEOUT = "10m";

    private FollowServers servers;
    private StepContainers containers;
    private final List<String> harnessLog = new ArrayList<>();

    @TempDir
    Path temp;

    @BeforeAll
    void buildImagesAndStartParts() throws Exception {
        LocalImages.build();
        servers = FollowServers.start(DATABASE, BUCKET);
        // The fix preflight names for an uncapped slot, a reload and no restart.
        try (Connection source = servers.source().connect(DATABASE);
                Statement sql = source.createStatement()) {
            sql.execute("ALTER SYSTEM SET max_slot_wal_keep_size = '1GB'");
            sql.execute("SELECT pg_reload_conf()");
        }
        servers.target().createDatabase(DATABASE);
        containers = new StepContainers("local", LocalImages.CONTAINERS_CONF);
    }

    @AfterAll
    void stopParts() {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void preflightInItsImageFindsTheLogicalSourceReadyAndWritesItsReportAndResults() throws Exception {
        Path data = folder("preflight-data");
        try (MockCluster cluster = new MockCluster(OnyxNamespace.NAME)) {
            TaskRunOutcome preflight =
                    runTask(cluster, servers.source(), "ferry-follow-preflight", Map.of("volume-size", "100Gi"), data);

            assertThat(preflight.exitCode()).as(preflight.output()).isZero();
            assertThat(preflight.reason()).isEqualTo("Succeeded");
            assertThat(preflight.output())
                    .contains("check=wal_level verdict=ok: wal_level is logical")
                    .contains("check=replica_identity verdict=warning: table public.chat_message has no primary key")
                    .contains("step=follow-preflight outcome=done");
            assertThat(preflight.results())
                    .containsEntry("ready", "true")
                    .containsEntry("refusals", "0")
                    .containsEntry("replica-identity-tables", "1");
        }
        // Written by the container's random UID into the workspace, as a PersistentVolumeClaim would hold it.
        JsonNode report = new ObjectMapper()
                .readTree(data.resolve("report/follow-preflight.json").toFile());
        assertThat(report.path("ready").asBoolean()).isTrue();
        assertRanInImage("follow-preflight", "follow-preflight");
    }

    @Test
    void aFollowWithoutABaseCopyIsRefusedByCaptureAbandonedAndThenRefusedByCheckLagAndApplyInTheirImages()
            throws Exception {
        try (MockCluster cluster = new MockCluster(OnyxNamespace.NAME)) {
            TaskRunOutcome capture = runTask(cluster, servers.source(), "ferry-follow-capture", follow(), null);

            assertThat(capture.exitCode()).as(capture.output()).isEqualTo(3);
            assertThat(capture.reason()).isEqualTo("Failed: step follow-capture exited 3");
            assertThat(capture.output())
                    .contains("replication slot \"" + SLOT + "\" does not exist on the source")
                    .contains("set FERRY_FOLLOW_CAPTURE_SLOT");
            // The Task's first step, in the follow-abandon image, armed the slot guard before capture refused.
            assertThat(cluster.client()
                            .batch()
                            .v1()
                            .jobs()
                            .inNamespace(OnyxNamespace.NAME)
                            .withName("ferry-follow-guard-" + MIGRATION_ID)
                            .get())
                    .as("the guard Job armed by arm-guard")
                    .isNotNull();
            assertRanInImage("follow-capture", "arm-guard", "follow-abandon");
            assertRanInImage("follow-capture", "follow-capture", "follow-capture");

            TaskRunOutcome abandon = runTask(cluster, servers.source(), "ferry-follow-abandon", follow(), null);

            assertThat(abandon.exitCode()).as(abandon.output()).isZero();
            assertThat(abandon.output())
                    .contains("phase=teardown slot=" + SLOT + " publication=ferry_follow" + " nothing_to_remove=true");
            assertThat(abandon.results()).containsEntry("removed", "nothing").containsEntry("heartbeat", "ABANDONED");
            assertRanInImage("follow-abandon", "follow-abandon", "follow-abandon");

            TaskRunOutcome checkLag = runTask(cluster, servers.source(), "ferry-follow-cutover", follow(), null);

            assertThat(checkLag.exitCode()).as(checkLag.output()).isEqualTo(3);
            assertThat(checkLag.output()).contains("not ready to freeze: capture reported ABANDONED");
            assertThat(checkLag.results()).containsEntry("ready", "false");
            assertRanInImage("follow-cutover", "follow-cutover", "follow-cutover");

            TaskRunOutcome apply = runTask(cluster, servers.target(), "ferry-follow-apply", follow(), null);

            assertThat(apply.exitCode()).as(apply.output()).isEqualTo(3);
            assertThat(apply.output())
                    .contains("the follow was abandoned on the old cluster")
                    .contains("restore a new base copy and start a new follow");
            assertRanInImage("follow-apply", "follow-apply", "follow-apply");
        }
    }

    /** The params of one follow in the test's bucket. */
    private Map<String, String> follow() {
        Map<String, String> params = new LinkedHashMap<>(OnyxNamespace.s3Params(servers.s3(), BUCKET, PREFIX));
        params.put("migration-id", MIGRATION_ID);
        return params;
    }

    /**
     * Runs one Task, started on its own, with every step in its image against {@code database}; {@code data} binds
     * its data workspace, if it has one.
     */
    private TaskRunOutcome runTask(
            MockCluster cluster, PostgresServer database, String task, Map<String, String> params, Path data)
            throws Exception {
        TektonFiles files = new TektonFiles(LocalImages.PROJECT_ROOT);
        Path pipeline = OneTaskPipeline.write(files, task, params, TASK_TIMEOUT, folder(task));
        PipelineRunner runner = new PipelineRunner(
                        files,
                        OnyxNamespace.of(
                                database, DATABASE, servers.s3(), cluster.writeKubeconfig(folder(task + "-kube"))),
                        line -> {
                            synchronized (harnessLog) {
                                harnessLog.add(line);
                            }
                        })
                .inImages(containers);
        PipelineRunOutcome run = runner.run(
                pipeline.toString(), Map.of(), data == null ? Map.of() : Map.of("data", data), folder(task + "-runs"));
        assertThat(run.taskRuns()).hasSize(1);
        return run.taskRuns().get(0);
    }

    /** The harness ran {@code step} of {@code pipelineTask} in the local image of {@code image} as the runner's UID. */
    private void assertRanInImage(String pipelineTask, String step, String image) {
        assertThat(harnessLog)
                .filteredOn(line -> line.startsWith("taskrun=" + pipelineTask + " step=" + step + " "))
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .contains(" image=localhost/ferry-" + image + ":local ")
                        .contains(" uid=" + containers.uid()));
    }

    private void assertRanInImage(String pipelineTask, String image) {
        assertRanInImage(pipelineTask, image, image);
    }

    private Path folder(String name) throws Exception {
        return Files.createDirectories(temp.resolve(name));
    }
}
