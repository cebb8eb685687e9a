package dev.ferry.download;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.workspace.ArtifactKind;
import dev.ferry.testing.ArtifactFixture;
import dev.ferry.testing.StepRun;
import dev.ferry.testing.s3.S3Front;
import dev.ferry.testing.s3.S3Operation;
import dev.ferry.testing.s3.S3Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What upload and download do with each answer a store may give, on a real store behind an {@link S3Front} that
 * answers one chosen operation itself: optional calls a store lacks degrade with one warning and the migration goes
 * through; everything else a store answers is one line with the right exit code, never a stack trace. Each store
 * (a subclass) runs the same contract; the steps are the built programs, with default settings unless a test says.
 */
abstract class StoreAnswersContract extends TransferPrograms {

    S3Front front;

    /** The real store behind the front. */
    abstract S3Store backingStore() throws Exception;

    @Override
    S3Store startStore() throws Exception {
        front = S3Front.before(backingStore());
        return front;
    }

    @BeforeEach
    void forwardEverything() {
        front.reset();
    }

    /** The store's environment as a user gives it: no FERRY_S3_PATH_STYLE, the defaults decide. */
    @Override
    Map<String, String> settings(Path workdir) {
        Map<String, String> env = super.settings(workdir);
        env.remove("FERRY_S3_PATH_STYLE");
        return env;
    }

    /** A dump of 12 MiB (three 5 MiB parts) and a small file, ready to upload from its own folder. */
    Path exported(String id) throws Exception {
        Path workdir = source.resolve(id);
        new ArtifactFixture(workdir, id.hashCode())
                .file("onyx.dump", ArtifactKind.DUMP, 12 * MIB + 321)
                .file("globals.sql", ArtifactKind.GLOBALS, 4_096)
                .writeManifest(id, Instant.parse("2026-12-06T01:00:00Z"));
        return workdir;
    }

    static void assertOneLineFailure(StepRun run, int exitCode, String... said) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(exitCode);
        String last = run.output().strip().lines().reduce((a, b) -> b).orElse("");
        assertThat(last).as(run.toString()).contains("outcome=failed exit=" + exitCode);
        for (String words : said) {
            assertThat(last).as(run.toString()).contains(words);
        }
        assertThat(run.output())
                .as("no stack trace")
                .doesNotContainPattern("(?m)^\\s+at [\\w$.]+\\(")
                .doesNotContain("Caused by:");
    }

    private void uploadedAndDownloaded(String id, String... warnings) throws Exception {
        Path workdir = exported(id);
        StepRun up = run(upload, settings(workdir));
        StepRun down = run(download, settings(target));
        assertThat(up.exitCode()).as(up.toString()).isZero();
        assertThat(down.exitCode()).as(down.toString()).isZero();
        for (String warning : warnings) {
            assertThat(up.output() + down.output()).contains(warning);
        }
        assertThat(Files.readAllBytes(target.resolve("onyx.dump")))
                .isEqualTo(Files.readAllBytes(workdir.resolve("onyx.dump")));
    }

    @Test
    void defaultSettingsAddressTheBucketInThePathAndTheMigrationGoesThrough() throws Exception {
        uploadedAndDownloaded("m-defaults");
    }

    @Test
    void aStoreWithoutListMultipartUploadsTakesTheMigrationWithOneWarning() throws Exception {
        front.answer(S3Operation.LIST_MULTIPART_UPLOADS, 501, "NotImplemented", "");

        uploadedAndDownloaded(
                "m-no-listing",
                "warning=\"the store does not list open multipart uploads (ListMultipartUploads was answered"
                        + " NotImplemented HTTP 501 with an empty message)");
        assertThat(front.seen(S3Operation.LIST_MULTIPART_UPLOADS)).isPositive();
    }

    @Test
    void aStoreThatCannotAbortAStaleUploadTakesTheMigrationWithOneWarning() throws Exception {
        Path workdir = exported("m-no-abort");
        String stale = server.client()
                .createMultipartUpload(b -> b.bucket(bucket).key(PREFIX + "/m-no-abort/onyx.dump"))
                .uploadId();
        front.answer(S3Operation.ABORT_MULTIPART_UPLOAD, 405, "MethodNotAllowed", "abort is not allowed here");

        StepRun run = run(upload, settings(workdir));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.output())
                .contains("warning=\"could not abort the multipart upload: MethodNotAllowed HTTP 405"
                        + " \"abort is not allowed here\"")
                .doesNotContain("aborted_stale_uploads=1");
        front.reset();
        server.client()
                .abortMultipartUpload(b ->
                        b.bucket(bucket).key(PREFIX + "/m-no-abort/onyx.dump").uploadId(stale));
    }

    @Test
    void aStoreWithoutConditionalGetsStillNeverMixesTwoObjects() throws Exception {
        front.answer(S3Operation.CONDITIONAL_GET, 400, null, null);

        uploadedAndDownloaded(
                "m-no-if-match",
                "warning=\"the store does not take conditional GETs (If-Match was answered HTTP 400 with an empty"
                        + " message): each range's ETag is compared with the first one's instead\"");
        assertThat(front.seen(S3Operation.GET_OBJECT))
                .as("ranges fetched without If-Match")
                .isGreaterThan(2);
    }

    @Test
    void aRefusedPartIsOneLineNamingTheOperationAndTheStoresEmptyAnswer() throws Exception {
        front.answer(S3Operation.UPLOAD_PART, 400, null, null);

        StepRun run = run(upload, settings(exported("m-refused")));

        assertOneLineFailure(run, 1, "UploadPart was answered HTTP 400 with an empty message");
    }

    @Test
    void encryptionRefusedOverPlainHttpIsExit2NamingFerryS3Sse() throws Exception {
        front.answer(S3Operation.CREATE_MULTIPART_UPLOAD, 400, "InvalidRequest", "");
        front.answer(S3Operation.PUT_OBJECT, 400, "InvalidRequest", "");
        Map<String, String> env = settings(exported("m-sse-http"));
        env.put("FERRY_S3_SSE", "AES256");

        StepRun run = run(upload, env);

        assertOneLineFailure(
                run,
                2,
                "FERRY_S3_SSE=AES256: the S3 store at " + front.endpoint() + " refused it",
                "InvalidRequest HTTP 400 with an empty message",
                "over plain HTTP");
    }

    @Test
    void encryptionTheStoreDidNotApplyIsRefusedAndNothingIsLeftUnencrypted() throws Exception {
        front.stripResponseHeader(S3Operation.PUT_OBJECT, "x-amz-server-side-encryption");
        front.stripResponseHeader(S3Operation.CREATE_MULTIPART_UPLOAD, "x-amz-server-side-encryption");
        Map<String, String> env = settings(exported("m-sse-ignored"));
        env.put("FERRY_S3_SSE", "AES256");

        StepRun run = run(upload, env);

        assertOneLineFailure(
                run, 3, "FERRY_S3_SSE=AES256 was asked for", "no x-amz-server-side-encryption", "Ferry removed it");
        assertThat(server.client()
                        .listObjectsV2(b -> b.bucket(bucket).prefix(PREFIX))
                        .contents())
                .as("no object rests unencrypted")
                .isEmpty();
        assertThat(server.client()
                        .listMultipartUploads(b -> b.bucket(bucket).prefix(PREFIX))
                        .uploads())
                .as("no upload left open")
                .isEmpty();
    }

    @Test
    void checksumsTheStoreRefusesAreExit2NamingTheChecksumMode() throws Exception {
        front.answer(S3Operation.UPLOAD_PART, 400, "XAmzContentSHA256Mismatch", "The provided checksum did not match");
        front.answer(S3Operation.PUT_OBJECT, 400, "XAmzContentSHA256Mismatch", "The provided checksum did not match");
        Map<String, String> env = settings(exported("m-checksums"));
        env.put("FERRY_S3_CHECKSUM_MODE", "when_supported");

        StepRun run = run(upload, env);

        assertOneLineFailure(run, 2, "XAmzContentSHA256Mismatch HTTP 400", "set FERRY_S3_CHECKSUM_MODE=when_required");
    }
}
