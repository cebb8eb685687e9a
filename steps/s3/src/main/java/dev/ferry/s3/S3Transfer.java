package dev.ferry.s3;

import dev.ferry.core.Sha256;
import dev.ferry.core.StepFailure;
import dev.ferry.core.TransferProgress;
import dev.ferry.core.config.Settings;
import dev.ferry.core.workspace.AtomicFiles;
import dev.ferry.core.workspace.JsonCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.FileTransformerConfiguration;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Ferry's boundary to object storage: the few operations upload and download need, each blocking
 * until done and failing with a message that names the setting to fix (see {@link S3Failures}).
 * Large files go up as multipart uploads a rerun can resume ({@link ResumableUpload}) and come down
 * as parallel ranged GETs ({@link RangedDownload}).
 */
public final class S3Transfer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(S3Transfer.class);

    /** User metadata key of the SHA-256 hex digest (sent as {@code x-amz-meta-sha256}). */
    public static final String SHA256_METADATA = "sha256";

    /** How long the first request, the bucket check, may take with its retries before the endpoint is called unreachable. */
    static final Duration BUCKET_CHECK_TIMEOUT = Duration.ofSeconds(60);

    private final S3ClientFactory.S3Clients clients;
    private final S3AsyncClient client;
    private final ObjectLayout layout;
    private final String endpoint;
    private final long partBytes;
    private final long multipartThreshold;
    private final int concurrency;
    private final boolean partChecksums;
    private final ServerSideEncryption serverSideEncryption;
    private final S3Failures failures;
    private final ConditionalReads conditionalReads = new ConditionalReads();

    private S3Transfer(
            S3ClientFactory.S3Clients clients,
            ObjectLayout layout,
            String endpoint,
            S3Settings s3,
            ServerSideEncryption serverSideEncryption,
            S3Failures failures) {
        this.clients = clients;
        this.client = clients.client();
        this.layout = layout;
        this.endpoint = endpoint;
        this.partBytes = s3.partSize().asLongValue();
        this.multipartThreshold = s3.multipartThreshold().asLongValue();
        this.concurrency = s3.concurrency();
        this.partChecksums = s3.checksumMode() == ChecksumMode.WHEN_SUPPORTED;
        this.serverSideEncryption = serverSideEncryption;
        this.failures = failures;
    }

    /** Validates the settings (exit 2 naming the variable) and opens a client. */
    public static S3Transfer open(AwsConfig aws, S3Settings s3) {
        String bucket = Settings.required(s3.bucket(), "FERRY_S3_BUCKET").strip();
        ObjectLayout layout = new ObjectLayout(bucket, s3.prefix());
        String endpoint = S3ClientFactory.describeEndpoint(aws);
        // Checked before a client exists, like every other setting: exit 2 naming it.
        ServerSideEncryption serverSideEncryption = ServerSideEncryption.of(s3.sse(), s3.sseKmsKeyId());
        S3ClientFactory.S3Clients clients = S3ClientFactory.create(aws, s3);
        boolean plainHttp = S3ClientFactory.endpoint(aws)
                .map(uri -> "http".equalsIgnoreCase(uri.getScheme()))
                .orElse(false);
        S3Failures failures = new S3Failures(
                bucket,
                endpoint,
                plainHttp,
                !S3ClientFactory.pathStyle(aws, s3),
                serverSideEncryption,
                s3.checksumMode());
        // Downloads fetch ranges of the part size, as many at once as uploads send parts.
        return new S3Transfer(clients, layout, endpoint, s3, serverSideEncryption, failures);
    }

    public ObjectLayout layout() {
        return layout;
    }

    /** The store's encryption at rest asked for on every object written (FERRY_S3_SSE). */
    public ServerSideEncryption serverSideEncryption() {
        return serverSideEncryption;
    }

    /** Whether the store honours If-Match on the ranges of a download, learnt from its first refusal. */
    ConditionalReads conditionalReads() {
        return conditionalReads;
    }

    /** Where the store is, fit for a log line (no credentials, no query). */
    public String endpoint() {
        return endpoint;
    }

    /**
     * Proves, before any data moves, that the endpoint answers, the credentials are accepted and the
     * bucket exists (a listing returns S3's error codes, which a HEAD request cannot carry).
     */
    public void checkBucket() {
        // Bounded on its own: a front end that accepts connections and never answers must not hold the
        // step until the pipeline's timeout; the transfers after it are bounded by their own progress.
        await(
                S3Call.LIST_OBJECTS,
                client.listObjectsV2(b -> b.bucket(layout.bucket())
                        .prefix(layout.migrationsPrefix())
                        .maxKeys(1)
                        .overrideConfiguration(o -> o.apiCallTimeout(BUCKET_CHECK_TIMEOUT))));
    }

    /** The object's metadata, or empty when there is no such object. */
    public Optional<HeadObjectResponse> head(String key) {
        try {
            return Optional.of(await(
                    S3Call.HEAD_OBJECT,
                    client.headObject(b -> b.bucket(layout.bucket()).key(key))));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /**
     * Uploads a file of {@code size} bytes whose SHA-256 is {@code sha256}, stored with it as metadata:
     * in one PUT below the multipart threshold, else in parts that a later run can take over through
     * {@code journal} when this one is killed ({@link ResumableUpload}).
     */
    public UploadOutcome uploadFile(
            String key, Path file, long size, String sha256, Path journal, TransferProgress progress) {
        Map<String, String> metadata = Map.of(SHA256_METADATA, sha256);
        if (size < multipartThreshold) {
            put(key, b -> b.metadata(metadata), AsyncRequestBody.fromFile(file));
            progress.set(size);
            return UploadOutcome.sentWhole(size);
        }
        return new ResumableUpload(this, client, layout.bucket(), concurrency, partChecksums)
                .send(key, file, size, sha256, partBytes, metadata, journal, progress);
    }

    /**
     * The id of the open multipart upload {@code journal} names, if that upload was one of exactly this file
     * (key, size, SHA-256, part size): only such an upload may be taken over; any other is stale.
     */
    public Optional<String> resumableUploadId(Path journal, String key, long size, String sha256) {
        long partSize = ResumableUpload.partSizeFor(size, partBytes);
        return ResumableUpload.readJournal(journal)
                .filter(j -> j.describes(key, size, sha256, partSize))
                .map(ResumableUpload.Journal::uploadId);
    }

    /** Uploads a small object from memory in a single request. */
    public void putBytes(String key, byte[] content, Map<String, String> metadata) {
        putBytes(key, content, "application/json", metadata);
    }

    /** A small object in one PUT, with the media type a browser or the store's console shows it by. */
    public void putBytes(String key, byte[] content, String contentType, Map<String, String> metadata) {
        put(key, b -> b.metadata(metadata).contentType(contentType), AsyncRequestBody.fromBytes(content));
    }

    /**
     * One PutObject of {@code body} under {@code key}, with the encryption FERRY_S3_SSE asks for; an object the store
     * did not encrypt as asked is removed again and the step refused (exit 3), since it would rest unencrypted.
     */
    PutObjectResponse put(String key, Consumer<PutObjectRequest.Builder> request, AsyncRequestBody body) {
        PutObjectResponse answer = await(
                S3Call.PUT_OBJECT,
                client.putObject(
                        b -> {
                            request.accept(b.bucket(layout.bucket()).key(key));
                            serverSideEncryption.applyTo(b);
                        },
                        body));
        Optional<String> applied = Optional.ofNullable(answer.serverSideEncryptionAsString());
        if (!serverSideEncryption.appliedBy(applied)) {
            deleteQuietly(key);
            throw serverSideEncryption.notApplied(S3Call.PUT_OBJECT, endpoint, applied);
        }
        return answer;
    }

    /**
     * Opens a multipart upload of {@code key} with the encryption FERRY_S3_SSE asks for, and returns its id; one the
     * store will not encrypt as asked is aborted before any part is sent, and the step refused (exit 3).
     */
    String createUpload(String key, Consumer<CreateMultipartUploadRequest.Builder> request) {
        CreateMultipartUploadResponse answer = await(S3Call.CREATE_MULTIPART_UPLOAD, client.createMultipartUpload(b -> {
            request.accept(b.bucket(layout.bucket()).key(key));
            serverSideEncryption.applyTo(b);
        }));
        Optional<String> applied = Optional.ofNullable(answer.serverSideEncryptionAsString());
        if (!serverSideEncryption.appliedBy(applied)) {
            abortQuietly(key, answer.uploadId());
            throw serverSideEncryption.notApplied(S3Call.CREATE_MULTIPART_UPLOAD, endpoint, applied);
        }
        return answer.uploadId();
    }

    /**
     * Best effort, for an upload being given up: a store that cannot abort keeps its parts until a lifecycle rule.
     * Whether it was aborted.
     */
    boolean abortQuietly(String key, String uploadId) {
        try {
            await(
                    S3Call.ABORT_MULTIPART_UPLOAD,
                    client.abortMultipartUpload(
                            b -> b.bucket(layout.bucket()).key(key).uploadId(uploadId)));
            return true;
        } catch (RuntimeException cannot) {
            LOG.warnf(
                    "phase=cleanup key=%s warning=\"could not abort the multipart upload: %s\"",
                    key, S3Failures.describeAnswer(cannot));
            return false;
        }
    }

    private void deleteQuietly(String key) {
        try {
            delete(key);
        } catch (RuntimeException cannot) {
            LOG.warnf(
                    "phase=cleanup key=%s warning=\"could not remove the object: %s\"",
                    key, S3Failures.describeAnswer(cannot));
        }
    }

    /** Writes what {@code writer} produces. */
    @FunctionalInterface
    public interface BodyWriter {
        void writeTo(OutputStream body) throws IOException;
    }

    /**
     * Stores the bytes {@code writer} produces (an encrypting stream, say) under {@code key} as they are produced,
     * with {@code metadata}: in one PUT when they fit one part, else in parts sent while the next is written, at
     * most {@code FERRY_S3_CONCURRENCY} parts (and no more than 4) in memory ({@link StreamedUpload}).
     */
    public StoredObject uploadStreamed(String key, Map<String, String> metadata, BodyWriter writer) throws IOException {
        StreamedUpload upload =
                new StreamedUpload(this, client, layout.bucket(), key, metadata, partBytes, streamedWindow());
        try {
            writer.writeTo(upload);
            return upload.finish();
        } catch (IOException | RuntimeException failed) {
            upload.abandon();
            throw failed;
        }
    }

    /**
     * The object of {@code size} bytes under {@code key} as a stream read in order, the next ranges fetched while
     * it is read ({@link StreamedDownload}); {@code progress} gets the bytes read so far. Close it when done.
     */
    public StreamedDownload openStreamed(String key, long size, LongConsumer progress) {
        return new StreamedDownload(this, client, layout.bucket(), key, size, partBytes, streamedWindow(), progress);
    }

    /** Parts or ranges held in memory by a streamed transfer: as many as go at once, bounded to keep memory small. */
    private int streamedWindow() {
        return Math.max(1, Math.min(concurrency, 4));
    }

    /** The object's content, or empty when there is no such object. */
    public Optional<byte[]> getBytes(String key) {
        try {
            return Optional.of(await(
                            S3Call.GET_OBJECT,
                            client.getObject(
                                    b -> b.bucket(layout.bucket()).key(key), AsyncResponseTransformer.toBytes()))
                    .asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /** How many GETs {@link #downloadFile} sends for an object of {@code size} bytes. */
    public long rangesFor(long size) {
        return size <= partBytes ? 1 : (size + partBytes - 1) / partBytes;
    }

    /**
     * Downloads an object of {@code size} bytes into {@code target}. A fresh download reads the object in order,
     * the next ranges in flight meanwhile ({@link StreamedDownload}), and writes it to the file as it arrives,
     * computing its SHA-256 on the way: no second read of the file. After each whole range it records in
     * {@code journal} which ranges are in the file, so a run killed midway leaves what a later one goes on from: when
     * the journal says which ranges are in {@code target} and the store still holds the same object, only the missing
     * ranges are fetched, in parallel at their offsets ({@link RangedDownload}), and the outcome has no SHA-256 (the
     * caller reads the file to prove it). Empty when there is no such object.
     */
    public Optional<DownloadOutcome> downloadFile(
            String key, Path target, long size, Path journal, TransferProgress progress) {
        try {
            Optional<RangedDownload.Journal> earlier = resumable(key, target, size, journal);
            if (earlier.isEmpty()) {
                return Optional.of(streamToFile(key, target, size, journal, progress));
            }
            RangedDownload ranges = new RangedDownload(
                    client,
                    conditionalReads,
                    layout.bucket(),
                    key,
                    target,
                    size,
                    partBytes,
                    concurrency,
                    progress::set,
                    journal,
                    earlier);
            long reused = ranges.resumedBytes();
            await(S3Call.GET_OBJECT, ranges.start());
            AtomicFiles.deleteQuietly(journal);
            return Optional.of(new DownloadOutcome(size - reused, reused, Optional.empty()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole object into a new {@code target}, in order, hashed as it is written; see {@link #downloadFile}. */
    private DownloadOutcome streamToFile(String key, Path target, long size, Path journal, TransferProgress progress)
            throws IOException {
        AtomicFiles.deleteQuietly(journal);
        if (size == 0) {
            // Nothing to stream, but the object must exist (NoSuchKeyException) and be empty.
            await(
                    S3Call.GET_OBJECT,
                    client.getObject(
                            b -> b.bucket(layout.bucket()).key(key),
                            AsyncResponseTransformer.toFile(
                                    target, FileTransformerConfiguration.defaultCreateOrReplaceExisting())));
            return new DownloadOutcome(Files.size(target), 0, Optional.of(Sha256.of(target)));
        }
        byte[] buffer = new byte[1 << 16];
        int rangesInFile = 0;
        try (StreamedDownload object = openStreamed(key, size, progress::set);
                OutputStream file = Files.newOutputStream(target)) {
            for (int n; (n = object.read(buffer, 0, buffer.length)) > 0; ) {
                file.write(buffer, 0, n);
                int wholeRanges = (int) (object.bytesRead() / partBytes);
                if (wholeRanges > rangesInFile) {
                    // The stream is unbuffered: what the journal names is already in the file.
                    rangesInFile = wholeRanges;
                    AtomicFiles.writeJson(
                            journal,
                            new RangedDownload.Journal(key, object.etag(), size, partBytes, rangesUpTo(rangesInFile)));
                }
            }
            // Every range was checked for its length as it came (StreamedDownload): the file holds size bytes.
            AtomicFiles.deleteQuietly(journal);
            return new DownloadOutcome(size, 0, Optional.of(object.storedSha256()));
        }
    }

    private static List<Integer> rangesUpTo(int count) {
        return IntStream.range(0, count).boxed().toList();
    }

    /** The earlier run's journal, when its partial file is there and the store still holds that same object. */
    private Optional<RangedDownload.Journal> resumable(String key, Path target, long size, Path journal) {
        if (!Files.isRegularFile(target) || !Files.isRegularFile(journal)) {
            return Optional.empty();
        }
        Optional<RangedDownload.Journal> earlier;
        try {
            earlier = Optional.of(JsonCodec.fromBytes(
                            Files.readAllBytes(journal), RangedDownload.Journal.class, journal.toString()))
                    .filter(j -> j.describes(key, size, partBytes));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty(); // a journal cut short by a crash only costs the resume
        }
        return earlier.filter(j ->
                head(key).map(HeadObjectResponse::eTag).filter(j.etag()::equals).isPresent());
    }

    /** Every object whose key starts with {@code prefix}, across all pages of the listing. */
    public List<S3Object> list(String prefix) {
        return list(prefix, "");
    }

    /**
     * Every object whose key starts with {@code prefix} and sorts after {@code startAfter} (ListObjectsV2's
     * {@code start-after}), across all pages: a poll for what is new costs one short page, not the whole folder. A
     * store that ignores {@code start-after} lists everything, so the keys are filtered here too.
     */
    public List<S3Object> list(String prefix, String startAfter) {
        List<S3Object> objects = new ArrayList<>();
        await(
                S3Call.LIST_OBJECTS,
                client.listObjectsV2Paginator(b -> {
                            b.bucket(layout.bucket()).prefix(prefix);
                            if (!startAfter.isEmpty()) {
                                b.startAfter(startAfter);
                            }
                        })
                        .contents()
                        .subscribe(object -> {
                            if (object.key().compareTo(startAfter) > 0) {
                                objects.add(object);
                            }
                        }));
        return objects;
    }

    public void delete(String key) {
        await(
                S3Call.DELETE_OBJECT,
                client.deleteObject(b -> b.bucket(layout.bucket()).key(key)));
    }

    /**
     * Aborts every unfinished multipart upload under {@code prefix} (across all pages of the listing) and
     * returns how many there were: the store keeps, and on S3 bills, their parts until they are aborted.
     */
    public int abortOpenUploads(String prefix) {
        return abortOpenUploads(prefix, Set.of());
    }

    /**
     * As {@link #abortOpenUploads(String)}, but keeps the uploads whose ids are in {@code resumable}. This is
     * housekeeping, never a reason to fail a migration: a store that does not list (or abort) open uploads gets one
     * warning, and what is left open is the bucket's lifecycle rule's (AbortIncompleteMultipartUpload) to remove.
     */
    public int abortOpenUploads(String prefix, Set<String> resumable) {
        int aborted = 0;
        ListMultipartUploadsRequest.Builder page =
                ListMultipartUploadsRequest.builder().bucket(layout.bucket()).prefix(prefix);
        while (true) {
            ListMultipartUploadsResponse uploads;
            try {
                uploads = await(S3Call.LIST_MULTIPART_UPLOADS, client.listMultipartUploads(page.build()));
            } catch (StepFailure failed) {
                if (!S3Failures.unsupported(failed)) {
                    throw failed;
                }
                LOG.warnf(
                        "phase=prepare warning=\"the store does not list open multipart uploads (ListMultipartUploads"
                                + " was answered %s): uploads an earlier run left open under %s are not aborted here;"
                                + " a lifecycle rule (AbortIncompleteMultipartUpload) removes them\"",
                        S3Failures.describeAnswer(failed), layout.uri(prefix));
                return aborted;
            }
            for (MultipartUpload open : uploads.uploads()) {
                if (resumable.contains(open.uploadId())) {
                    continue;
                }
                if (abortQuietly(open.key(), open.uploadId())) {
                    aborted++;
                }
            }
            if (!Boolean.TRUE.equals(uploads.isTruncated())) {
                return aborted;
            }
            page.keyMarker(uploads.nextKeyMarker()).uploadIdMarker(uploads.nextUploadIdMarker());
        }
    }

    /**
     * Waits for {@code call}; a missing key or upload is {@link NoSuchKeyException}, any other failure
     * {@link S3Failures}' one line.
     */
    <T> T await(S3Call call, CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (RuntimeException e) {
            Throwable cause = S3Failures.unwrap(e);
            // A missing key is an answer, not a failure: callers decide what it means.
            if (cause instanceof NoSuchKeyException missing) {
                throw missing;
            }
            if (cause instanceof S3Exception s3
                    && s3.statusCode() == 404
                    && !"NoSuchBucket".equals(errorCode(s3))
                    && !(cause instanceof software.amazon.awssdk.services.s3.model.NoSuchBucketException)) {
                throw NoSuchKeyException.builder()
                        .message("no such key")
                        .statusCode(404)
                        .cause(s3)
                        .build();
            }
            throw failures.translate(call, e);
        }
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    @Override
    public void close() {
        clients.close();
    }
}
