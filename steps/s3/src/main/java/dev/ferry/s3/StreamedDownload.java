package dev.ferry.s3;

import dev.ferry.core.Sha256;
import dev.ferry.core.StepFailure;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * An object read in order as a stream, for a reader that needs its bytes in sequence (a decrypting stream), while
 * the next {@code window} ranges are already on their way: the parallelism of ranged GETs without the object ever
 * touching the disk as it is stored. Every range after the first carries {@code If-Match} with the first answer's
 * ETag, so an object replaced mid-read fails instead of mixing two objects. The SHA-256 and size of what was read
 * are kept, so the caller can prove the object as stored against the manifest.
 */
public final class StreamedDownload extends InputStream {

    private final S3Transfer store;
    private final S3AsyncClient client;
    private final String bucket;
    private final String key;
    private final long size;
    private final long rangeBytes;
    private final int window;
    private final LongConsumer progress;
    private final MessageDigest sha256 = Sha256.newDigest();
    private final Deque<CompletableFuture<ResponseBytes<GetObjectResponse>>> ahead = new ArrayDeque<>();
    private long nextRangeStart;
    private long read;
    private String etag;
    private byte[] current = new byte[0];
    private int position;

    StreamedDownload(
            S3Transfer store,
            S3AsyncClient client,
            String bucket,
            String key,
            long size,
            long rangeBytes,
            int window,
            LongConsumer progress) {
        this.store = store;
        this.client = client;
        this.bucket = bucket;
        this.key = key;
        this.size = size;
        this.rangeBytes = rangeBytes;
        this.window = Math.max(1, window);
        this.progress = progress;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (position == current.length && !nextRange()) {
            return -1;
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current, position, buffer, offset, n);
        sha256.update(current, position, n);
        position += n;
        read += n;
        progress.accept(read);
        return n;
    }

    /** The SHA-256 of every byte read so far: of the whole object as stored, once the stream is at its end. */
    public String storedSha256() {
        return Sha256.hex(sha256);
    }

    /** The ETag the store gave the object with its first range (every later range is fetched If-Match it). */
    public String etag() {
        return etag;
    }

    /** The bytes read so far. */
    public long bytesRead() {
        return read;
    }

    @Override
    public void close() {
        ahead.forEach(pending -> pending.cancel(true));
        ahead.clear();
    }

    private boolean nextRange() {
        if (etag == null) {
            if (size == 0) {
                return false;
            }
            // The first range goes alone: its ETag pins the object for the others, its Content-Range proves its size.
            ResponseBytes<GetObjectResponse> first = store.await(fetch(nextRangeStart));
            long total = RangedDownload.totalOf(first.response().contentRange());
            if (total >= 0 && total != size) {
                throw StepFailure.verificationFailed("s3://" + bucket + "/" + key + " holds " + total
                        + " bytes, the manifest says " + size + " (the object is truncated or was replaced)");
            }
            etag = first.response().eTag();
            nextRangeStart += rangeBytes;
            fillWindow();
            return take(first);
        }
        if (ahead.isEmpty()) {
            return false;
        }
        ResponseBytes<GetObjectResponse> next = store.await(ahead.removeFirst());
        fillWindow();
        return take(next);
    }

    private void fillWindow() {
        while (ahead.size() < window && nextRangeStart < size) {
            ahead.addLast(fetch(nextRangeStart));
            nextRangeStart += rangeBytes;
        }
    }

    private boolean take(ResponseBytes<GetObjectResponse> range) {
        current = range.asByteArrayUnsafe();
        position = 0;
        long expected = Math.min(rangeBytes, size - (read));
        if (current.length != expected) {
            throw StepFailure.verificationFailed("s3://" + bucket + "/" + key + " gave " + current.length
                    + " bytes at offset " + read + " where " + expected + " were due (the object is truncated)");
        }
        return current.length > 0;
    }

    private CompletableFuture<ResponseBytes<GetObjectResponse>> fetch(long from) {
        long to = Math.min(size, from + rangeBytes) - 1;
        String pinned = etag;
        return client.getObject(
                b -> {
                    b.bucket(bucket).key(key).range("bytes=" + from + "-" + to);
                    if (pinned != null) {
                        b.ifMatch(pinned);
                    }
                },
                AsyncResponseTransformer.toBytes());
    }
}
