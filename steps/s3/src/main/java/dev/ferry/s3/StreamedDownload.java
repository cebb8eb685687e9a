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
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * An object read in order as a stream, for a reader that needs its bytes in sequence (a decrypting stream, a file
 * hashed as it is written), while the next {@code window} ranges are already on their way: the parallelism of
 * ranged GETs without the object ever touching the disk as it is stored. Every range after the first is of the object
 * the first answer named ({@link ConditionalReads}), so an object replaced mid-read fails instead of mixing two.
 * The SHA-256 and size of what was read are kept, so the caller can prove the object as stored against the
 * manifest. The ranges land in {@code window + 1} buffers that are used again and again ({@link RangeIntoBuffer}),
 * so memory does not grow with the object.
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
    private final Deque<CompletableFuture<RangeIntoBuffer.Filled>> ahead = new ArrayDeque<>();
    private final Deque<byte[]> freeBuffers = new ArrayDeque<>();
    private long nextRangeStart;
    private long read;
    private String etag;
    private byte[] current = new byte[0];
    private int currentLength;
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
        if (position == currentLength && !nextRange()) {
            return -1;
        }
        int n = Math.min(length, currentLength - position);
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
            RangeIntoBuffer.Filled first = store.await(S3Call.GET_OBJECT, fetch(nextRangeStart));
            long total = RangedDownload.totalOf(first.response().contentRange());
            if (total >= 0 && total != size) {
                throw StepFailure.verificationFailed("s3://" + bucket + "/" + key + " holds " + total
                        + " bytes, the manifest says " + size + " (the object is truncated or was replaced)");
            }
            etag = first.response().eTag();
            nextRangeStart += rangeBytes;
            boolean more = take(first);
            fillWindow();
            return more;
        }
        if (ahead.isEmpty()) {
            return false;
        }
        // Taken before the window is filled again, so the buffer of the range just read is free for the next fetch.
        boolean more = take(store.await(S3Call.GET_OBJECT, ahead.removeFirst()));
        fillWindow();
        return more;
    }

    private void fillWindow() {
        while (ahead.size() < window && nextRangeStart < size) {
            ahead.addLast(fetch(nextRangeStart));
            nextRangeStart += rangeBytes;
        }
    }

    /** The range just read becomes the current one; the one before it was read to its end, so its buffer is free. */
    private boolean take(RangeIntoBuffer.Filled range) {
        if (current.length > 0) {
            freeBuffers.push(current);
        }
        current = range.bytes();
        currentLength = range.length();
        position = 0;
        long expected = Math.min(rangeBytes, size - (read));
        if (currentLength != expected) {
            throw StepFailure.verificationFailed("s3://" + bucket + "/" + key + " gave " + currentLength
                    + " bytes at offset " + read + " where " + expected + " were due (the object is truncated)");
        }
        return currentLength > 0;
    }

    private byte[] buffer() {
        byte[] free = freeBuffers.poll();
        return free != null ? free : new byte[Math.toIntExact(Math.min(rangeBytes, size))];
    }

    private CompletableFuture<RangeIntoBuffer.Filled> fetch(long from) {
        long to = Math.min(size, from + rangeBytes) - 1;
        byte[] into = buffer();
        String uri = "s3://" + bucket + "/" + key;
        return store.conditionalReads()
                .fetch(
                        etag,
                        uri,
                        ifMatch -> client.getObject(
                                b -> {
                                    b.bucket(bucket).key(key).range("bytes=" + from + "-" + to);
                                    if (ifMatch != null) {
                                        b.ifMatch(ifMatch);
                                    }
                                },
                                new RangeIntoBuffer(into, uri)),
                        RangeIntoBuffer.Filled::response);
    }
}
