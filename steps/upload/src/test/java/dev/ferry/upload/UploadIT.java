package dev.ferry.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.manifest.PhaseTiming;
import dev.ferry.core.workspace.ArtifactKind;
import dev.ferry.core.workspace.JsonCodec;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.testing.ArtifactFixture;
import dev.ferry.testing.ProgramRunner;
import dev.ferry.testing.StepProgram;
import dev.ferry.testing.StepRun;
import dev.ferry.testing.net.DroppingFrontEnd;
import dev.ferry.testing.s3.CompletedWrite;
import dev.ferry.testing.s3.S3TestServer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The built upload program, run as a process against a real S3 server (S3Proxy). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UploadIT {

    private static final long MIB = 1024 * 1024;

    private S3TestServer server;
    private StepProgram upload;
    private String bucket;

    @TempDir
    Path workdir;

    @BeforeAll
    void startServer() throws Exception {
        server = S3TestServer.startTransient();
        upload = StepProgram.at(Path.of(System.getProperty("ferry.upload.jar", "target/quarkus-app/quarkus-run.jar")));
    }

    @AfterAll
    void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void freshBucket() {
        bucket = "ferry-" + UUID.randomUUID().toString().substring(0, 8);
        server.createBucket(bucket);
        server.forgetCompletedWrites();
    }

    private Map<String, String> settings() {
        Map<String, String> env = new HashMap<>(server.stepEnvironment());
        env.put("FERRY_WORKDIR", workdir.toString());
        env.put("FERRY_RESULTS_DIR", workdir.resolve("results").toString());
        env.put("FERRY_S3_BUCKET", bucket);
        env.put("FERRY_S3_PREFIX", "onyx/prod");
        env.put("FERRY_S3_MULTIPART_THRESHOLD", "5M");
        env.put("FERRY_S3_PART_SIZE", "5M");
        return env;
    }

    private StepRun run(Map<String, String> env) throws Exception {
        StepRun run = upload.run(env);
        assertThat(run.output()).as("no secret in the output").doesNotContain(server.secretKey());
        return run;
    }

    private Manifest dumpWithLargeFile(String migrationId) throws IOException {
        return new ArtifactFixture(workdir, 42)
                .file("onyx.dump", ArtifactKind.DUMP, 12 * MIB + 12345)
                .file("globals.sql", ArtifactKind.GLOBALS, 10_000)
                .writeManifest(migrationId, Instant.parse("2026-11-25T01:00:00Z"));
    }

    @Test
    void serverSideEncryptionHeadersReachTheStoreOnEveryWriteAndAnUnknownOneIsExit2() throws Exception {
        dumpWithLargeFile("m-sse");
        Map<String, String> env = settings();
        env.put("FERRY_S3_SSE", "aws:kms");
        env.put("FERRY_S3_SSE_KMS_KEY_ID", "alias/onyx-ferry");

        StepRun run = run(env);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.output()).contains("server_side_encryption=aws:kms (KMS key alias/onyx-ferry)");
        assertThat(server.completedWrites())
                .as("single PUTs, the multipart upload and the manifest")
                .filteredOn(w -> w.key().startsWith("onyx/"))
                .extracting(CompletedWrite::key, CompletedWrite::serverSideEncryption)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("onyx/prod/m-sse/onyx.dump", "aws:kms/alias/onyx-ferry"),
                        org.assertj.core.groups.Tuple.tuple("onyx/prod/m-sse/globals.sql", "aws:kms/alias/onyx-ferry"),
                        org.assertj.core.groups.Tuple.tuple(
                                "onyx/prod/m-sse/manifest.json", "aws:kms/alias/onyx-ferry"));

        env.put("FERRY_S3_SSE", "rot13");
        StepRun refused = run(env);
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.output()).contains("FERRY_S3_SSE is \"rot13\"");
    }

    @Test
    void uploadsEveryArtifactInPartsWhenLargeAndTheManifestLast() throws Exception {
        Manifest manifest = dumpWithLargeFile("m-roundtrip");

        StepRun run = run(settings());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.output())
                .contains("progress phase=upload subject=onyx.dump")
                .contains("step=upload outcome=done")
                .contains("migration=m-roundtrip artifacts=2");

        List<CompletedWrite> writes = server.completedWrites();
        assertThat(writes).extracting(CompletedWrite::key).last().isEqualTo("onyx/prod/m-roundtrip/manifest.json");
        assertThat(writes)
                .filteredOn(w -> w.key().endsWith("onyx.dump"))
                .singleElement()
                .satisfies(
                        w -> assertThat(w.parts()).as("12 MiB in 5 MiB parts").isEqualTo(3));
        assertThat(writes)
                .filteredOn(w -> w.key().endsWith("globals.sql"))
                .singleElement()
                .satisfies(w -> assertThat(w.multipart()).isFalse());

        for (Manifest.Artifact artifact : manifest.artifacts()) {
            String key = "onyx/prod/m-roundtrip/" + artifact.path();
            ResponseBytes<GetObjectResponse> stored =
                    server.client().getObjectAsBytes(b -> b.bucket(bucket).key(key));
            assertThat(stored.asByteArray()).isEqualTo(Files.readAllBytes(workdir.resolve(artifact.path())));
            assertThat(stored.response().metadata()).containsEntry("sha256", artifact.sha256());
        }
        HeadObjectResponse dump =
                server.client().headObject(b -> b.bucket(bucket).key("onyx/prod/m-roundtrip/onyx.dump"));
        assertThat(dump.eTag()).as("a multipart ETag names its part count").endsWith("-3\"");

        Manifest local = Workspace.at(workdir).readManifest();
        assertThat(local.upload().bucket()).isEqualTo(bucket);
        assertThat(local.upload().prefix()).isEqualTo("onyx/prod");
        assertThat(local.upload().completedAt()).isNotNull();
        byte[] remote = server.client()
                .getObjectAsBytes(b -> b.bucket(bucket).key("onyx/prod/m-roundtrip/manifest.json"))
                .asByteArray();
        assertThat(remote).isEqualTo(Files.readAllBytes(workdir.resolve("manifest.json")));

        assertThat(Files.readString(workdir.resolve("results/migration-id"))).isEqualTo("m-roundtrip");
        assertThat(Files.readString(workdir.resolve("results/uploaded-bytes")))
                .isEqualTo(String.valueOf(12 * MIB + 12345 + 10_000));
        assertThat(Files.readString(workdir.resolve("results/manifest-uri")))
                .isEqualTo("s3://" + bucket + "/onyx/prod/m-roundtrip/manifest.json");
    }

    @Test
    void theManifestInTheBucketCarriesTheExportStepsTimingsForTheImportSidesReport() throws Exception {
        dumpWithLargeFile("m-timed");
        Instant dumped = Instant.now().minusSeconds(30);
        Workspace.at(workdir).recordPhase(new PhaseTiming("dump", "m-timed", dumped, dumped.plusSeconds(12), 12 * MIB));

        assertThat(run(settings()).exitCode()).isZero();

        Manifest remote = JsonCodec.fromBytes(
                server.client()
                        .getObjectAsBytes(b -> b.bucket(bucket).key("onyx/prod/m-timed/manifest.json"))
                        .asByteArray(),
                Manifest.class,
                "manifest.json");
        assertThat(remote.timeline()).extracting(PhaseTiming::step).containsExactly("dump", "upload");
        PhaseTiming upload = remote.timeline().get(1);
        assertThat(upload.bytes()).isEqualTo(12 * MIB + 12345 + 10_000);
        assertThat(upload.endedAt())
                .isAfter(upload.startedAt())
                .isBeforeOrEqualTo(remote.upload().completedAt());
        assertThat(Workspace.at(workdir).readTimeline())
                .extracting(PhaseTiming::step)
                .contains("dump", "upload");
    }

    @Test
    void reportModePutsValidatesReportBesideTheMigrationWithTypesABrowserShowsAndNothingElse() throws Exception {
        dumpWithLargeFile("m-report");
        Path report = Files.createDirectories(workdir.resolve("report"));
        Files.writeString(report.resolve("validation.md"), "# Validation passed\n");
        Files.writeString(report.resolve("validation.json"), "{\"verdict\":\"passed\"}");
        Files.writeString(report.resolve("timeline.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        Files.writeString(report.resolve(".validation.md.partial"), "half");
        Map<String, String> env = settings();
        env.put("FERRY_UPLOAD_CONTENT", "report");

        StepRun run = run(env);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(server.completedWrites())
                .extracting(CompletedWrite::key)
                .containsExactlyInAnyOrder(
                        "onyx/prod/m-report/report/timeline.svg",
                        "onyx/prod/m-report/report/validation.json",
                        "onyx/prod/m-report/report/validation.md");
        HeadObjectResponse svg =
                server.client().headObject(b -> b.bucket(bucket).key("onyx/prod/m-report/report/timeline.svg"));
        assertThat(svg.contentType()).isEqualTo("image/svg+xml");
        assertThat(svg.metadata()).containsKey("sha256");
        assertThat(Files.readString(workdir.resolve("results/report-uri")))
                .isEqualTo("s3://" + bucket + "/onyx/prod/m-report/report/");

        Files.walk(report)
                .sorted(java.util.Comparator.reverseOrder())
                .forEach(p -> p.toFile().delete());
        StepRun nothing = run(env);
        assertThat(nothing.exitCode()).isEqualTo(4);
        assertThat(nothing.output()).contains("no report to upload in " + report);
    }

    @Test
    void runningAgainSkipsWhatIsStoredAndRewritesOnlyTheManifest() throws Exception {
        dumpWithLargeFile("m-rerun");
        assertThat(run(settings()).exitCode()).isZero();
        server.forgetCompletedWrites();

        StepRun again = run(settings());

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.output())
                .contains("artifact=onyx.dump skipped=true")
                .contains("artifact=globals.sql skipped=true");
        assertThat(server.completedWrites())
                .extracting(CompletedWrite::key)
                .containsExactly("onyx/prod/m-rerun/manifest.json");
        assertThat(Files.readString(workdir.resolve("results/uploaded-bytes"))).isEqualTo("0");
    }

    @Test
    void aCorruptedLocalArtifactIsRefusedBeforeAnythingIsSent() throws Exception {
        dumpWithLargeFile("m-corrupt");
        try (RandomAccessFile file =
                new RandomAccessFile(workdir.resolve("onyx.dump").toFile(), "rw")) {
            file.seek(MIB);
            file.write(file.read() ^ 0xff);
        }

        StepRun run = run(settings());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.failureLine())
                .contains("exit=4")
                .contains("local artifact onyx.dump has SHA-256")
                .contains("refusing to upload");
        List<S3Object> stored =
                server.client().listObjectsV2(b -> b.bucket(bucket)).contents();
        assertThat(stored).isEmpty();
    }

    @Test
    void aMissingBucketIsBadConfigurationNamingTheVariable() throws Exception {
        dumpWithLargeFile("m-nobucket");
        Map<String, String> env = settings();
        env.put("FERRY_S3_BUCKET", "no-such-bucket-here");

        StepRun run = run(env);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.failureLine())
                .contains("bucket 'no-such-bucket-here' does not exist")
                .contains("FERRY_S3_BUCKET");
    }

    @Test
    void aWrongSecretKeyIsBadConfigurationNamingTheVariable() throws Exception {
        dumpWithLargeFile("m-badsecret");
        Map<String, String> env = settings();
        env.put("AWS_SECRET_ACCESS_KEY", "wrong-" + server.secretKey().substring(6));

        StepRun run = run(env);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.failureLine()).contains("AWS_SECRET_ACCESS_KEY");
        assertThat(run.output()).doesNotContain(env.get("AWS_SECRET_ACCESS_KEY"));
    }

    @Test
    void anUnknownAccessKeyIsBadConfigurationNamingTheVariable() throws Exception {
        dumpWithLargeFile("m-badkey");
        Map<String, String> env = settings();
        env.put("AWS_ACCESS_KEY_ID", "nobody");

        StepRun run = run(env);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.failureLine()).contains("AWS_ACCESS_KEY_ID");
    }

    @Test
    void anUnreachableEndpointIsBadConfigurationNamingTheVariable() throws Exception {
        dumpWithLargeFile("m-unreachable");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> env = settings();
        env.put("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + closedPort);

        StepRun run = run(env);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        // A closed port is refused at once on most hosts; some sandboxes drop the SYN instead, and then the
        // call times out. Both are the same bad setting, so the line names the endpoint and the variable either way.
        assertThat(run.failureLine())
                .containsPattern(
                        "cannot reach the S3 endpoint |the S3 endpoint \\S+ did not answer ListObjectsV2 in time")
                .contains("the S3 endpoint http://127.0.0.1:" + closedPort)
                .contains("AWS_ENDPOINT_URL_S3");
    }

    @Test
    void aFrontEndThatDropsEveryConnectionIsRetriedThenNamedInOneLine() throws Exception {
        dumpWithLargeFile("m-dropped");
        try (DroppingFrontEnd front = DroppingFrontEnd.start()) {
            Map<String, String> env = settings();
            env.put("AWS_ENDPOINT_URL_S3", front.endpoint());

            StepRun run = run(env);

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
            assertThat(run.failureLine())
                    .contains("the S3 endpoint " + front.endpoint()
                            + " accepted the connection and closed it before answering")
                    .contains("AWS_ENDPOINT_URL_S3");
            assertThat(run.output()).doesNotContain("\tat ");
            assertThat(front.dropped()).as("the default FERRY_S3_MAX_ATTEMPTS").isEqualTo(5);
        }
    }

    private List<String> openUploads(String migrationId) {
        return server
                .client()
                .listMultipartUploads(b -> b.bucket(bucket).prefix("onyx/prod/" + migrationId + "/"))
                .uploads()
                .stream()
                .map(u -> u.key())
                .toList();
    }

    @Test
    void aRerunAbortsTheMultipartUploadAKilledRunLeftOpen() throws Exception {
        dumpWithLargeFile("m-stale");
        String key = "onyx/prod/m-stale/onyx.dump";
        String stale = server.client()
                .createMultipartUpload(b -> b.bucket(bucket).key(key))
                .uploadId();
        server.client()
                .uploadPart(
                        b -> b.bucket(bucket).key(key).uploadId(stale).partNumber(1),
                        software.amazon.awssdk.core.sync.RequestBody.fromBytes(new byte[(int) (5 * MIB)]));
        assertThat(openUploads("m-stale")).containsExactly(key);

        StepRun run = run(settings());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.output()).contains("phase=prepare aborted_stale_uploads=1");
        assertThat(openUploads("m-stale")).isEmpty();
    }

    @Test
    void sigtermMidUploadAbortsTheOpenMultipartUploadAndEndsWithTheOutcomeLine() throws Exception {
        new ArtifactFixture(workdir, 7)
                .file("onyx.dump", ArtifactKind.DUMP, 200L * MIB)
                .writeManifest("m-stopped", Instant.parse("2026-11-25T01:00:00Z"));
        Map<String, String> env = settings();
        env.put("FERRY_S3_CONCURRENCY", "1");
        env.put("FERRY_PROGRESS_INTERVAL", "1s");
        java.util.concurrent.CountDownLatch sending = new java.util.concurrent.CountDownLatch(1);

        ProgramRunner.Running running = ProgramRunner.start(
                StepProgram.javaCommand(
                        Path.of(System.getProperty("ferry.upload.jar", "target/quarkus-app/quarkus-run.jar"))),
                env,
                line -> {
                    if (line.contains("progress phase=upload subject=onyx.dump") && !line.contains("done=true")) {
                        sending.countDown();
                    }
                });
        assertThat(sending.await(2, java.util.concurrent.TimeUnit.MINUTES))
                .as("upload under way")
                .isTrue();
        assertThat(openUploads("m-stopped"))
                .as("the multipart upload in flight")
                .isNotEmpty();

        running.terminate();
        ProgramRunner.Outcome outcome = running.await(Duration.ofSeconds(30));

        assertThat(outcome.exitCode()).as(outcome.output()).isEqualTo(143);
        assertThat(outcome.output().lines().reduce((first, second) -> second).orElse(""))
                .startsWith("step=upload outcome=failed exit=143 (stopped by a signal)");
        assertThat(openUploads("m-stopped")).as("open uploads after SIGTERM").isEmpty();
        assertThat(server.client()
                        .listObjectsV2(b -> b.bucket(bucket).prefix("onyx/prod/m-stopped/"))
                        .contents())
                .as("nothing complete")
                .noneMatch(o -> o.key().endsWith("manifest.json"));
    }

    @Test
    void anUnsetBucketIsBadConfigurationNamingTheVariable() throws Exception {
        dumpWithLargeFile("m-unset");
        Map<String, String> env = settings();
        env.remove("FERRY_S3_BUCKET");

        StepRun run = run(env);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.failureLine()).contains("FERRY_S3_BUCKET is not set");
    }

    @Test
    void withoutAManifestThereIsNothingToUpload() throws Exception {
        StepRun run = run(settings());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.failureLine()).contains("no manifest at " + workdir.resolve("manifest.json"));
    }

    @Test
    void reuploadingChangedArtifactsRemovesTheOldManifestFirst() throws Exception {
        dumpWithLargeFile("m-redo");
        assertThat(run(settings()).exitCode()).isZero();
        server.forgetCompletedWrites();
        new ArtifactFixture(workdir, 7)
                .file("onyx.dump", ArtifactKind.DUMP, 100_000)
                .file("globals.sql", ArtifactKind.GLOBALS, 10_000)
                .writeManifest("m-redo", Instant.parse("2026-11-25T02:00:00Z"));

        StepRun again = run(settings());

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.output())
                .contains("phase=invalidate manifest=s3://" + bucket + "/onyx/prod/m-redo/manifest.json");
        assertThat(server.completedWrites())
                .extracting(w -> w.kind() + " " + w.key())
                .containsExactly(
                        "DELETE onyx/prod/m-redo/manifest.json",
                        "PUT onyx/prod/m-redo/onyx.dump",
                        "PUT onyx/prod/m-redo/globals.sql",
                        "PUT onyx/prod/m-redo/manifest.json");
    }

    @Test
    void aMigrationIdThatContradictsTheManifestIsBadConfiguration() throws Exception {
        dumpWithLargeFile("m-actual");
        Map<String, String> env = settings();
        env.put("FERRY_MIGRATION_ID", "m-other");

        StepRun run = run(env);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.failureLine())
                .contains(
                        "FERRY_MIGRATION_ID is \"m-other\" but manifest.json in FERRY_WORKDIR belongs to migration \"m-actual\"");
    }

    @Test
    void theSdksNewerChecksumsCanBeTurnedOnForStoresThatSupportThem() throws Exception {
        dumpWithLargeFile("m-checksums");
        Map<String, String> env = settings();
        env.put("FERRY_S3_CHECKSUM_MODE", "when_supported");

        StepRun run = run(env);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        byte[] stored = server.client()
                .getObjectAsBytes(b -> b.bucket(bucket).key("onyx/prod/m-checksums/onyx.dump"))
                .asByteArray();
        assertThat(stored).isEqualTo(Files.readAllBytes(workdir.resolve("onyx.dump")));
    }

    /** Starts the upload program, and kills it (SIGKILL) once the store holds {@code parts} parts of {@code key}. */
    private void killOnceTheStoreHolds(Map<String, String> env, String migrationId, String key, int parts)
            throws Exception {
        ProgramRunner.Running running = ProgramRunner.start(
                StepProgram.javaCommand(
                        Path.of(System.getProperty("ferry.upload.jar", "target/quarkus-app/quarkus-run.jar"))),
                env,
                line -> {});
        running.awaitWhileRunning(
                parts + " parts stored", () -> storedParts(key).size() >= parts, Duration.ofMinutes(2));
        running.kill();
        ProgramRunner.Outcome killed = running.await(Duration.ofSeconds(30));
        assertThat(killed.exitCode()).as(killed.output()).isEqualTo(137);
        assertThat(openUploads(migrationId))
                .as("the killed run's upload stays open")
                .containsExactly(key);
    }

    private List<software.amazon.awssdk.services.s3.model.Part> storedParts(String key) {
        return server.client().listMultipartUploads(b -> b.bucket(bucket).prefix(key)).uploads().stream()
                .findFirst()
                .map(open -> server.client()
                        .listParts(b -> b.bucket(bucket).key(key).uploadId(open.uploadId()))
                        .parts())
                .orElse(List.of());
    }

    @Test
    void aRerunAfterAKillMidFileSendsOnlyWhatTheStoreDoesNotHoldAndResendsAPartThatDoesNotVerify() throws Exception {
        long size = 100L * MIB + 777;
        new ArtifactFixture(workdir, 11)
                .file("onyx.dump", ArtifactKind.DUMP, size)
                .writeManifest("m-resume", Instant.parse("2026-11-25T01:00:00Z"));
        String key = "onyx/prod/m-resume/onyx.dump";
        Map<String, String> env = settings();
        env.put("FERRY_S3_CONCURRENCY", "1");
        killOnceTheStoreHolds(env, "m-resume", key, 4);
        List<software.amazon.awssdk.services.s3.model.Part> held = storedParts(key);
        // One part the store holds no longer matches the file (a store that lost or mangled it): it must be sent again.
        String uploadId = server.client()
                .listMultipartUploads(b -> b.bucket(bucket).prefix(key))
                .uploads()
                .get(0)
                .uploadId();
        server.client()
                .uploadPart(
                        b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(2),
                        software.amazon.awssdk.core.sync.RequestBody.fromBytes(new byte[(int) (5 * MIB)]));
        long reusable = (held.size() - 1) * 5 * MIB;

        StepRun rerun = run(settings());

        assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
        assertThat(rerun.output())
                .contains("resumed=true reused_parts=" + (held.size() - 1) + " of=21 reused_bytes=" + reusable)
                .doesNotContain("aborted_stale_uploads");
        assertThat(Files.readString(workdir.resolve("results/resumed-bytes"))).isEqualTo(String.valueOf(reusable));
        assertThat(Files.readString(workdir.resolve("results/uploaded-bytes")))
                .isEqualTo(String.valueOf(size - reusable));
        assertThat(server.client()
                        .getObjectAsBytes(b -> b.bucket(bucket).key(key))
                        .asByteArray())
                .as("the object is the file, byte for byte")
                .isEqualTo(Files.readAllBytes(workdir.resolve("onyx.dump")));
        assertThat(openUploads("m-resume")).isEmpty();
        assertThat(workdir.resolve(Workspace.TRANSFER_JOURNALS)).isEmptyDirectory();
        System.out.printf(
                "rerun after SIGKILL: sent %d of %d bytes (%d parts of 5 MiB taken over)%n",
                size - reusable, size, held.size() - 1);
    }

    @Test
    void anOpenUploadWhoseJournalDescribesAnotherFileIsAbortedAndTheFileSentWhole() throws Exception {
        Manifest manifest = dumpWithLargeFile("m-changed");
        String key = "onyx/prod/m-changed/onyx.dump";
        String earlier = server.client()
                .createMultipartUpload(b -> b.bucket(bucket).key(key))
                .uploadId();
        // What a killed run wrote for the dump before this one replaced it with other bytes of the same size.
        Manifest.Artifact dump = manifest.artifacts().get(0);
        Path journal = Workspace.at(workdir).transferJournal("upload", dump);
        Files.createDirectories(journal.getParent());
        Files.writeString(
                journal,
                "{\"key\":\"" + key + "\",\"uploadId\":\"" + earlier + "\",\"size\":" + dump.size() + ",\"sha256\":\""
                        + "0".repeat(64) + "\",\"partSize\":" + 5 * MIB + "}");

        StepRun run = run(settings());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.output())
                .contains("phase=prepare aborted_stale_uploads=1")
                .doesNotContain("resumed=true");
        assertThat(Files.readString(workdir.resolve("results/resumed-bytes"))).isEqualTo("0");
        assertThat(openUploads("m-changed")).isEmpty();
        assertThat(server.client()
                        .getObjectAsBytes(b -> b.bucket(bucket).key(key))
                        .asByteArray())
                .isEqualTo(Files.readAllBytes(workdir.resolve("onyx.dump")));
    }
}
