package dev.ferry.s3;

import dev.ferry.core.TransferProgress;
import dev.ferry.core.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.core.FileTransformerConfiguration;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.transfer.s3.S3TransferManager;
import software.amazon.awssdk.transfer.s3.model.UploadFileRequest;
import software.amazon.awssdk.transfer.s3.progress.TransferListener;

/**
 * Ferry's boundary to object storage: the few operations upload and download need, each blocking
 * until done and failing with a message that names the setting to fix (see {@link S3Failures}).
 * Uploads go through the SDK's transfer manager and multipart client (large files in parallel
 * parts); downloads fetch large objects as parallel ranged GETs ({@link RangedDownload}).
 */
public final class S3Transfer implements AutoCloseable {

    /** User metadata key of the SHA-256 hex digest (sent as {@code x-amz-meta-sha256}). */
    public static final String SHA256_METADATA = "sha256";

    /** How long the first request, the bucket check, may take with its retries before the endpoint is called unreachable. */
    static final Duration BUCKET_CHECK_TIMEOUT = Duration.ofSeconds(60);

    private final S3ClientFactory.S3Clients clients;
    private final S3AsyncClient client;
    private final S3TransferManager transferManager;
    private final ObjectLayout layout;
    private final String endpoint;
    private final long rangeBytes;
    private final int concurrency;

    private S3Transfer(
            S3ClientFactory.S3Clients clients, ObjectLayout layout, String endpoint, long rangeBytes, int concurrency) {
        this.clients = clients;
        this.rangeBytes = rangeBytes;
        this.concurrency = concurrency;
        this.client = clients.plain();
        this.transferManager =
                S3TransferManager.builder().s3Client(clients.multipart()).build();
        this.layout = layout;
        this.endpoint = endpoint;
    }

    /** Validates the settings (exit 2 naming the variable) and opens a client. */
    public static S3Transfer open(AwsConfig aws, S3Settings s3) {
        String bucket = Settings.required(s3.bucket(), "FERRY_S3_BUCKET").strip();
        ObjectLayout layout = new ObjectLayout(bucket, s3.prefix());
        String endpoint = S3ClientFactory.describeEndpoint(aws);
        S3ClientFactory.S3Clients clients = S3ClientFactory.create(aws, s3);
        // Downloads fetch ranges of the part size, as many at once as uploads send parts.
        return new S3Transfer(clients, layout, endpoint, s3.partSize().asLongValue(), s3.concurrency());
    }

    public ObjectLayout layout() {
        return layout;
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
        await(client.listObjectsV2(b -> b.bucket(layout.bucket())
                .prefix(layout.migrationsPrefix())
                .maxKeys(1)
                .overrideConfiguration(o -> o.apiCallTimeout(BUCKET_CHECK_TIMEOUT))));
    }

    /** The object's metadata, or empty when there is no such object. */
    public Optional<HeadObjectResponse> head(String key) {
        try {
            return Optional.of(
                    await(client.headObject(b -> b.bucket(layout.bucket()).key(key))));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /** Uploads a file (in parts when above the multipart threshold), reporting bytes to {@code progress}. */
    public void uploadFile(String key, Path file, Map<String, String> metadata, TransferProgress progress) {
        UploadFileRequest request = UploadFileRequest.builder()
                .putObjectRequest(b -> b.bucket(layout.bucket()).key(key).metadata(metadata))
                .source(file)
                .addTransferListener(listener(progress))
                .build();
        await(transferManager.uploadFile(request).completionFuture());
    }

    /** Uploads a small object from memory in a single request. */
    public void putBytes(String key, byte[] content, Map<String, String> metadata) {
        await(client.putObject(
                b -> b.bucket(layout.bucket()).key(key).metadata(metadata).contentType("application/json"),
                AsyncRequestBody.fromBytes(content)));
    }

    /** The object's content, or empty when there is no such object. */
    public Optional<byte[]> getBytes(String key) {
        try {
            return Optional.of(await(client.getObject(
                            b -> b.bucket(layout.bucket()).key(key), AsyncResponseTransformer.toBytes()))
                    .asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /** How many GETs {@link #downloadFile} sends for an object of {@code size} bytes. */
    public long rangesFor(long size) {
        return size <= rangeBytes ? 1 : (size + rangeBytes - 1) / rangeBytes;
    }

    /**
     * Downloads an object of {@code size} bytes into {@code target} (replacing it): one streamed GET up to
     * the part size, parallel ranged GETs above it ({@link RangedDownload}); false when there is no such
     * object.
     */
    public boolean downloadFile(String key, Path target, long size, TransferProgress progress) {
        try {
            if (size <= rangeBytes) {
                AsyncResponseTransformer<GetObjectResponse, GetObjectResponse> toFile = AsyncResponseTransformer.toFile(
                        target, FileTransformerConfiguration.defaultCreateOrReplaceExisting());
                await(client.getObject(
                        b -> b.bucket(layout.bucket()).key(key), new CountingTransformer<>(toFile, progress::set)));
            } else {
                // The ranges write at their offsets into one file that starts empty.
                Files.deleteIfExists(target);
                Files.createFile(target);
                await(new RangedDownload(
                                client, layout.bucket(), key, target, size, rangeBytes, concurrency, progress::set)
                        .start());
            }
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every object whose key starts with {@code prefix}, across all pages of the listing. */
    public List<S3Object> list(String prefix) {
        List<S3Object> objects = new ArrayList<>();
        await(client.listObjectsV2Paginator(b -> b.bucket(layout.bucket()).prefix(prefix))
                .contents()
                .subscribe(objects::add));
        return objects;
    }

    public void delete(String key) {
        await(client.deleteObject(b -> b.bucket(layout.bucket()).key(key)));
    }

    /**
     * Aborts every unfinished multipart upload under {@code prefix} (across all pages of the listing) and
     * returns how many there were: the store keeps, and on S3 bills, their parts until they are aborted.
     */
    public int abortOpenUploads(String prefix) {
        int aborted = 0;
        ListMultipartUploadsRequest.Builder page =
                ListMultipartUploadsRequest.builder().bucket(layout.bucket()).prefix(prefix);
        while (true) {
            ListMultipartUploadsResponse uploads = await(client.listMultipartUploads(page.build()));
            for (MultipartUpload open : uploads.uploads()) {
                await(client.abortMultipartUpload(
                        b -> b.bucket(layout.bucket()).key(open.key()).uploadId(open.uploadId())));
                aborted++;
            }
            if (!Boolean.TRUE.equals(uploads.isTruncated())) {
                return aborted;
            }
            page.keyMarker(uploads.nextKeyMarker()).uploadIdMarker(uploads.nextUploadIdMarker());
        }
    }

    private <T> T await(CompletableFuture<T> future) {
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
            throw S3Failures.translate(e, layout.bucket(), endpoint);
        }
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    private static TransferListener listener(TransferProgress progress) {
        return new TransferListener() {
            @Override
            public void bytesTransferred(Context.BytesTransferred context) {
                progress.set(context.progressSnapshot().transferredBytes());
            }
        };
    }

    @Override
    public void close() {
        transferManager.close();
        clients.close();
    }
}
