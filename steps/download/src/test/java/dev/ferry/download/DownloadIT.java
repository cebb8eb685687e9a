package dev.ferry.download;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.ArtifactKind;
import dev.ferry.core.workspace.JsonCodec;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.testing.ArtifactFixture;
import dev.ferry.testing.ProgramRunner;
import dev.ferry.testing.StepProgram;
import dev.ferry.testing.StepRun;
import dev.ferry.testing.net.DroppingFrontEnd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Plain migrations through the built upload and download programs against a real S3 server
 * ({@link TransferPrograms}).
 */
class DownloadIT extends TransferPrograms {

    /** Dumps (a fixture) and uploads migration {@code id} from its own source folder. */
    private Manifest uploaded(String id) throws Exception {
        return uploaded(id, 300_000);
    }

    private Manifest uploaded(String id, long dumpSize) throws Exception {
        Path workdir = source.resolve(id);
        Manifest manifest = new ArtifactFixture(workdir, id.hashCode())
                .file("onyx.dump", ArtifactKind.DUMP, dumpSize)
                .file("globals.sql", ArtifactKind.GLOBALS, 4_096)
                .file("report/source-inventory.json", ArtifactKind.DUMP, 1_000)
                .writeManifest(id, Instant.parse("2026-11-25T01:00:00Z"));
        StepRun run = run(upload, settings(workdir));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return manifest;
    }

    private List<String> filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile)
                    .map(f -> folder.relativize(f).toString())
                    .sorted()
                    .toList();
        }
    }

    @Test
    void roundTripGivesByteEqualFilesAndTheManifestLast() throws Exception {
        Manifest manifest = uploaded("m-roundtrip", 12 * MIB + 777);

        StepRun run = run(download, settings(target));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.output())
                .contains("phase=resolve migration=m-roundtrip source=newest_complete")
                .contains("progress phase=download subject=onyx.dump")
                .as("hashed as the ranges arrived, in order, not by reading the file again")
                .containsPattern("phase=verify artifact=onyx.dump bytes=\\d+ sha256=\\p{XDigit}{64} hashed=as_written")
                .contains("phase=verify artifact=globals.sql bytes=4096 sha256=")
                .as("12 MiB in ranges of the 5 MiB part size")
                .contains("phase=download artifact=onyx.dump bytes=" + (12 * MIB + 777) + " ranges=3")
                .contains("phase=download artifact=globals.sql bytes=4096 ranges=1");
        Path uploadedFrom = source.resolve("m-roundtrip");
        for (Manifest.Artifact artifact : manifest.artifacts()) {
            assertThat(Files.readAllBytes(target.resolve(artifact.path())))
                    .isEqualTo(Files.readAllBytes(uploadedFrom.resolve(artifact.path())));
        }
        assertThat(Files.readAllBytes(target.resolve("manifest.json")))
                .as("the manifest as upload completed it")
                .isEqualTo(Files.readAllBytes(uploadedFrom.resolve("manifest.json")));
        assertThat(Files.readString(target.resolve("results/migration-id"))).isEqualTo("m-roundtrip");
        assertThat(Files.readString(target.resolve("results/downloaded-bytes")))
                .isEqualTo(String.valueOf(12 * MIB + 777 + 4_096 + 1_000));
        assertThat(filesIn(target)).as("no partial files left").noneMatch(f -> f.endsWith(".partial"));
    }

    @Test
    void theNewestCompleteMigrationWinsAndOneWithoutManifestIsIgnored() throws Exception {
        uploaded("m-older");
        uploaded("m-newer");
        uploaded("m-unfinished");
        server.client().deleteObject(b -> b.bucket(bucket).key(PREFIX + "/m-unfinished/manifest.json"));

        StepRun run = run(download, settings(target));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.output())
                .contains("phase=resolve migration=m-newer source=newest_complete")
                .contains("complete=2 ignored_incomplete=[m-unfinished]");
        assertThat(Files.readString(target.resolve("results/migration-id"))).isEqualTo("m-newer");
    }

    @Test
    void aGivenMigrationIdIsDownloadedEvenWhenANewerOneExists() throws Exception {
        uploaded("m-first");
        uploaded("m-second");
        Map<String, String> env = settings(target);
        env.put("FERRY_MIGRATION_ID", "m-first");

        StepRun run = run(download, env);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.output()).contains("phase=resolve migration=m-first source=FERRY_MIGRATION_ID");
        assertThat(Files.readString(target.resolve("manifest.json"))).contains("\"migrationId\" : \"m-first\"");
    }

    @Test
    void aCorruptedObjectFailsVerificationAndLeavesNothingThatLooksValid() throws Exception {
        Manifest manifest = uploaded("m-corrupt");
        Manifest.Artifact dump = manifest.artifacts().get(0);
        byte[] tampered = Files.readAllBytes(source.resolve("m-corrupt/onyx.dump"));
        tampered[tampered.length / 2] ^= 0x01;
        // Same size and the same sha256 metadata: only the content changed, as with silent corruption.
        server.client()
                .putObject(
                        b -> b.bucket(bucket)
                                .key(PREFIX + "/m-corrupt/onyx.dump")
                                .metadata(Map.of("sha256", dump.sha256())),
                        RequestBody.fromBytes(tampered));
        Files.writeString(target.resolve("manifest.json"), "{\"migrationId\":\"an-older-download\"}");

        StepRun run = run(download, settings(target));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.failureLine())
                .contains("exit=4")
                .contains("downloaded artifact onyx.dump has SHA-256")
                .contains("the manifest says " + dump.sha256())
                .contains("is corrupted or was replaced");
        assertThat(filesIn(target))
                .as("no manifest, no artifact, no partial file")
                .isEmpty();
    }

    @Test
    void aTruncatedLargeObjectIsExit4NamingBothSizesAndLeavesNothing() throws Exception {
        uploaded("m-truncated", 12 * MIB);
        byte[] shorter = Arrays.copyOf(Files.readAllBytes(source.resolve("m-truncated/onyx.dump")), (int) (7 * MIB));
        server.client()
                .putObject(
                        b -> b.bucket(bucket).key(PREFIX + "/m-truncated/onyx.dump"), RequestBody.fromBytes(shorter));

        StepRun run = run(download, settings(target));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.failureLine())
                .contains("onyx.dump holds " + 7 * MIB + " bytes, the manifest says " + 12 * MIB)
                .contains("truncated or was replaced");
        assertThat(filesIn(target))
                .as("no manifest, no artifact, no partial file")
                .isEmpty();
    }

    @Test
    void aMissingManifestFailsVerification() throws Exception {
        uploaded("m-nomanifest");
        server.client().deleteObject(b -> b.bucket(bucket).key(PREFIX + "/m-nomanifest/manifest.json"));
        Map<String, String> env = settings(target);
        env.put("FERRY_MIGRATION_ID", "m-nomanifest");

        StepRun run = run(download, env);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.failureLine())
                .contains("no manifest at s3://" + bucket + "/" + PREFIX + "/m-nomanifest/manifest.json")
                .contains("its upload never completed");
        assertThat(filesIn(target)).isEmpty();
    }

    @Test
    void aMissingArtifactFailsVerificationAndRemovesWhatWasPlaced() throws Exception {
        uploaded("m-noglobals");
        server.client().deleteObject(b -> b.bucket(bucket).key(PREFIX + "/m-noglobals/globals.sql"));

        StepRun run = run(download, settings(target));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.failureLine())
                .contains("artifact globals.sql is listed in the manifest but s3://" + bucket + "/" + PREFIX
                        + "/m-noglobals/globals.sql does not exist");
        assertThat(filesIn(target))
                .as("onyx.dump had verified, but without its manifest it is removed too")
                .isEmpty();
    }

    @Test
    void anEmptyPrefixHasNoCompleteMigration() throws Exception {
        StepRun run = run(download, settings(target));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.failureLine()).contains("no complete migration under s3://" + bucket + "/" + PREFIX + "/");
    }

    @Test
    void aFrontEndThatDropsEveryConnectionIsRetriedABoundedNumberOfTimesThenNamedInOneLine() throws Exception {
        try (DroppingFrontEnd front = DroppingFrontEnd.start()) {
            Map<String, String> env = settings(target);
            env.put("AWS_ENDPOINT_URL_S3", front.endpoint());
            env.put("FERRY_S3_MAX_ATTEMPTS", "3");

            StepRun run = run(download, env);

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
            assertThat(run.output().lines().reduce((first, second) -> second).orElse(""))
                    .endsWith("step=download outcome=failed exit=2 (bad configuration): the S3 endpoint "
                            + front.endpoint()
                            + " accepted the connection and closed it before answering ListObjectsV2, on every attempt: check "
                            + "AWS_ENDPOINT_URL_S3 and the router or load balancer in front of the store (retries: "
                            + "FERRY_S3_MAX_ATTEMPTS)");
            assertThat(run.output()).doesNotContain("\tat ").doesNotContain("Exception");
            assertThat(front.dropped()).as("requests the front end saw").isEqualTo(3);
        }
    }

    @Test
    void aMissingBucketIsBadConfigurationNamingTheVariable() throws Exception {
        Map<String, String> env = settings(target);
        env.put("FERRY_S3_BUCKET", "no-such-bucket-here");

        StepRun run = run(download, env);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.failureLine())
                .contains("bucket 'no-such-bucket-here' does not exist")
                .contains("FERRY_S3_BUCKET");
    }

    /** Starts the download program, and kills it (SIGKILL) once its journal for {@code artifact} records {@code ranges} ranges. */
    private void killOnceTheJournalHolds(Map<String, String> env, Manifest.Artifact artifact, int ranges)
            throws Exception {
        ProgramRunner.Outcome killed = stopOnceTheJournalHolds(env, artifact, ranges, ProgramRunner.Running::kill);
        assertThat(killed.exitCode()).as(killed.output()).isEqualTo(137);
    }

    private ProgramRunner.Outcome stopOnceTheJournalHolds(
            Map<String, String> env,
            Manifest.Artifact artifact,
            int ranges,
            java.util.function.Consumer<ProgramRunner.Running> stop)
            throws Exception {
        Path journal = Workspace.at(target).transferJournal("download", artifact);
        ProgramRunner.Running running = ProgramRunner.start(
                StepProgram.javaCommand(
                        Path.of(System.getProperty("ferry.download.jar", "target/quarkus-app/quarkus-run.jar"))),
                env,
                line -> {});
        running.awaitWhileRunning(ranges + " ranges fetched", () -> rangesIn(journal) >= ranges, Duration.ofMinutes(2));
        stop.accept(running);
        ProgramRunner.Outcome stopped = running.await(Duration.ofSeconds(30));
        assertThat(target.resolve("manifest.json"))
                .as("a stopped download is never complete")
                .doesNotExist();
        return stopped;
    }

    private static int rangesIn(Path journal) {
        try {
            return JsonCodec.mapper().readTree(journal.toFile()).path("ranges").size();
        } catch (IOException notYetOrHalfWritten) {
            return 0;
        }
    }

    private Map<String, String> oneRangeAtATime() {
        Map<String, String> env = settings(target);
        env.put("FERRY_S3_CONCURRENCY", "1");
        return env;
    }

    @Test
    void aRerunAfterAKillMidFileFetchesOnlyTheRangesItLackedAndASecondRerunFetchesNothing() throws Exception {
        long size = 100 * MIB + 555;
        Manifest manifest = uploaded("m-resume", size);
        Manifest.Artifact dump = manifest.artifacts().get(0);
        killOnceTheJournalHolds(oneRangeAtATime(), dump, 4);
        int recorded = rangesIn(Workspace.at(target).transferJournal("download", dump));

        StepRun rerun = run(download, settings(target));

        assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
        long reused = recorded * 5 * MIB;
        assertThat(rerun.output())
                .contains("phase=download artifact=onyx.dump resumed=true reused_bytes=" + reused + " fetched_bytes="
                        + (size - reused))
                .as("the ranges an earlier run left are proven by reading the file")
                .contains("hashed=read_back");
        assertThat(Files.readString(target.resolve("results/resumed-bytes"))).isEqualTo(String.valueOf(reused));
        assertThat(Files.readAllBytes(target.resolve("onyx.dump")))
                .isEqualTo(Files.readAllBytes(source.resolve("m-resume/onyx.dump")));
        assertThat(target.resolve(Workspace.TRANSFER_JOURNALS)).isEmptyDirectory();
        System.out.printf(
                "download rerun after SIGKILL: fetched %d of %d bytes (%d ranges of 5 MiB were in the file)%n",
                size - reused, size, recorded);

        StepRun again = run(download, settings(target));

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.output()).contains("artifact=onyx.dump skipped=true reason=already_in_workspace");
        assertThat(Files.readString(target.resolve("results/resumed-bytes")))
                .isEqualTo(String.valueOf(manifest.totalBytes()));
    }

    @Test
    void aResumedFileThatDoesNotVerifyIsFetchedWholeOnceMore() throws Exception {
        Manifest manifest = uploaded("m-lost-writes", 60 * MIB);
        Manifest.Artifact dump = manifest.artifacts().get(0);
        killOnceTheJournalHolds(oneRangeAtATime(), dump, 2);
        // The journal says range 0 is in the file, but its bytes are not what the store holds (writes lost with a
        // node).
        try (java.io.RandomAccessFile partial = new java.io.RandomAccessFile(
                target.resolve(".onyx.dump.partial").toFile(), "rw")) {
            partial.seek(100);
            partial.write(partial.read() ^ 0xff);
        }

        StepRun rerun = run(download, settings(target));

        assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
        assertThat(rerun.output()).contains("resumed_file_mismatch=").contains("action=fetch_whole_object");
        assertThat(Files.readAllBytes(target.resolve("onyx.dump")))
                .isEqualTo(Files.readAllBytes(source.resolve("m-lost-writes/onyx.dump")));
    }

    @Test
    void sigtermMidDownloadEndsWithTheOutcomeLineAndKeepsWhatARerunGoesOnFrom() throws Exception {
        Manifest manifest = uploaded("m-sigterm", 60 * MIB);
        Manifest.Artifact dump = manifest.artifacts().get(0);

        ProgramRunner.Outcome stopped =
                stopOnceTheJournalHolds(oneRangeAtATime(), dump, 2, ProgramRunner.Running::terminate);

        assertThat(stopped.exitCode()).as(stopped.output()).isEqualTo(143);
        assertThat(stopped.output().lines().reduce((first, second) -> second).orElse(""))
                .startsWith("step=download outcome=failed exit=143 (stopped by a signal)");
        StepRun rerun = run(download, settings(target));
        assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
        assertThat(rerun.output()).contains("phase=download artifact=onyx.dump resumed=true");
        assertThat(Files.readAllBytes(target.resolve("onyx.dump")))
                .isEqualTo(Files.readAllBytes(source.resolve("m-sigterm/onyx.dump")));
    }
}
