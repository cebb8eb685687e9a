package dev.ferry.s3;

import dev.ferry.core.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * An object whose bytes are produced while they go up (an encrypting stream writes into it), so they exist nowhere
 * else: cut into parts as they are written, each part sent while the next is produced, at most {@code inFlight}
 * parts held in memory at once. What fits one part goes in one PUT. The SHA-256 of the object as stored is
 * computed on the way, for the manifest. Unlike {@link ResumableUpload} there is no file to take a killed run's
 * parts from, so a rerun sends such an object again; its open upload is aborted with every other stale one.
 */
final class StreamedUpload extends OutputStream {

    private final S3Transfer store;
    private final S3AsyncClient client;
    private final String bucket;
    private final String key;
    private final Map<String, String> metadata;
    private final int partBytes;
    private final int inFlight;
    private final BlockingQueue<byte[]> sentBuffers;
    private int allocated;
    private final MessageDigest sha256 = Sha256.newDigest();
    private final PartsInFlight parts = new PartsInFlight();
    private byte[] part;
    private int filled;
    private int partNumber;
    private long size;
    private String uploadId;
    private String etag;

    StreamedUpload(
            S3Transfer store,
            S3AsyncClient client,
            String bucket,
            String key,
            Map<String, String> metadata,
            long partBytes,
            int inFlight) {
        this.store = store;
        this.client = client;
        this.bucket = bucket;
        this.key = key;
        this.metadata = metadata;
        this.partBytes = Math.toIntExact(partBytes);
        this.inFlight = inFlight;
        this.sentBuffers = new ArrayBlockingQueue<>(inFlight);
        this.part = newPart();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        sha256.update(bytes, offset, length);
        size += length;
        while (length > 0) {
            if (filled == partBytes) {
                sendPart();
            }
            int n = Math.min(length, partBytes - filled);
            System.arraycopy(bytes, offset, part, filled, n);
            filled += n;
            offset += n;
            length -= n;
        }
    }

    /** Sends what is left and completes the object; what was stored, with its SHA-256 and ETag. */
    StoredObject finish() {
        if (uploadId == null) {
            byte[] whole = part;
            int length = filled;
            etag = store.put(
                            key,
                            b -> b.metadata(metadata),
                            AsyncRequestBody.fromByteBufferUnsafe(ByteBuffer.wrap(whole, 0, length)))
                    .eTag();
        } else {
            if (filled > 0) {
                sendPart();
            }
            List<CompletedPart> ordered = parts.awaitAll(store);
            String id = uploadId;
            etag = store.await(
                            S3Call.COMPLETE_MULTIPART_UPLOAD,
                            client.completeMultipartUpload(
                                    b -> b.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(ordered))))
                    .eTag();
        }
        return new StoredObject(size, Sha256.hex(sha256), etag);
    }

    /** Gives up an upload that will not complete, so its parts are not kept (and billed); best effort. */
    void abandon() {
        if (uploadId != null) {
            String id = uploadId;
            store.abortQuietly(key, id);
        }
    }

    private void sendPart() {
        if (uploadId == null) {
            uploadId = store.createUpload(key, b -> b.metadata(metadata));
        }
        if (parts.failed()) {
            store.await(S3Call.UPLOAD_PART, parts.firstFailure());
        }
        int number = ++partNumber;
        byte[] body = part;
        int length = filled;
        String id = uploadId;
        parts.track(
                number,
                client.uploadPart(
                        b -> b.bucket(bucket).key(key).uploadId(id).partNumber(number),
                        // Not copied: the buffer is reused only once its request is over, retries included.
                        AsyncRequestBody.fromByteBufferUnsafe(ByteBuffer.wrap(body, 0, length))),
                () -> sentBuffers.add(body),
                () -> {});
        part = newPart();
        filled = 0;
    }

    /** A buffer for the next part: a new one up to {@code inFlight}, then one whose part has been sent. */
    private byte[] newPart() {
        byte[] free = sentBuffers.poll();
        if (free != null) {
            return free;
        }
        if (allocated < inFlight) {
            allocated++;
            return new byte[partBytes];
        }
        try {
            return sentBuffers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a part to be sent", e);
        }
    }
}
