package dev.ferry.s3;

import dev.ferry.core.StepFailure;
import dev.ferry.core.workspace.AtomicFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongConsumer;
import software.amazon.awssdk.core.FileTransformerConfiguration;
import software.amazon.awssdk.core.FileTransformerConfiguration.FailureBehavior;
import software.amazon.awssdk.core.FileTransformerConfiguration.FileWriteOption;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * One object fetched as parallel ranged GETs ({@code Range: bytes=a-b}), each written at its offset of
 * the file. Ranged GETs are part of HTTP itself and every S3-compatible store serves them, unlike GETs by
 * part number. Every range is of the object the first answer named ({@link ConditionalReads}), so an object
 * replaced mid-download fails instead of mixing two objects; the caller still checks size and
 * SHA-256 of the whole file. At most {@code concurrency} ranges are in flight, so a large object never
 * queues more requests than the connection pool serves.
 *
 * <p>Each range that is in the file is recorded in a journal beside it, with the ETag. A run that was
 * killed leaves both; the next one, when the store still holds the same object (same ETag), fetches only
 * the ranges the journal lacks.
 */
final class RangedDownload {

    /** The object a partial file belongs to, and which of its ranges are in the file. */
    record Journal(String key, String etag, long size, long rangeBytes, List<Integer> ranges) {

        boolean describes(String key, long size, long rangeBytes) {
            return key.equals(this.key) && size == this.size && rangeBytes == this.rangeBytes && etag != null;
        }
    }

    private final S3AsyncClient client;
    private final ConditionalReads conditionalReads;
    private final String bucket;
    private final String key;
    private final Path target;
    private final long size;
    private final long rangeBytes;
    private final int concurrency;
    private final AtomicLongArray received;
    private final LongConsumer bytesSoFar;
    private final AtomicInteger nextRange = new AtomicInteger(0);
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicInteger rangesLeft;
    private final Path journalFile;
    private final BitSet inFile;
    private volatile String etag;

    RangedDownload(
            S3AsyncClient client,
            ConditionalReads conditionalReads,
            String bucket,
            String key,
            Path target,
            long size,
            long rangeBytes,
            int concurrency,
            LongConsumer bytesSoFar,
            Path journalFile,
            Optional<Journal> resumeFrom) {
        this.client = client;
        this.conditionalReads = conditionalReads;
        this.bucket = bucket;
        this.key = key;
        this.target = target;
        this.size = size;
        this.rangeBytes = rangeBytes;
        this.concurrency = concurrency;
        int ranges = (int) ((size + rangeBytes - 1) / rangeBytes);
        this.received = new AtomicLongArray(ranges);
        this.bytesSoFar = bytesSoFar;
        this.journalFile = journalFile;
        this.inFile = new BitSet(ranges);
        resumeFrom.ifPresent(journal -> {
            etag = journal.etag();
            journal.ranges().stream().filter(r -> r >= 0 && r < ranges).forEach(inFile::set);
        });
        for (int range = inFile.nextSetBit(0); range >= 0; range = inFile.nextSetBit(range + 1)) {
            received.set(range, lengthOf(range));
        }
        this.rangesLeft = new AtomicInteger(ranges - inFile.cardinality());
    }

    /** The bytes already in the file from an earlier run when this one starts. */
    long resumedBytes() {
        long bytes = 0;
        for (int i = 0; i < received.length(); i++) {
            bytes += received.get(i);
        }
        return bytes;
    }

    /**
     * Starts the transfer; completes when every range is in the file. Without an ETag from an earlier run,
     * the first range goes alone: its answer's ETag pins the object for the others.
     */
    CompletableFuture<Void> start() {
        bytesSoFar.accept(resumedBytes());
        if (rangesLeft.get() == 0) {
            done.complete(null);
            return done;
        }
        if (etag != null) {
            for (int i = 0; i < concurrency; i++) {
                fetchNext();
            }
            return done;
        }
        int firstRange = nextMissing();
        fetch(firstRange, true).whenComplete((first, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
                return;
            }
            long objectSize = totalOf(first.contentRange());
            if (objectSize >= 0 && objectSize != size) {
                done.completeExceptionally(
                        StepFailure.verificationFailed("s3://" + bucket + "/" + key + " holds " + objectSize
                                + " bytes, the manifest says " + size + " (the object is truncated or was replaced)"));
                return;
            }
            etag = first.eTag();
            inTheFile(firstRange);
            // The first range's connection is free again: every slot starts a chain of its own.
            for (int i = 0; i < concurrency; i++) {
                fetchNext();
            }
            finishedOne();
        });
        return done;
    }

    private int nextMissing() {
        while (true) {
            int range = nextRange.getAndIncrement();
            synchronized (inFile) {
                if (range >= received.length() || !inFile.get(range)) {
                    return range;
                }
            }
        }
    }

    /** Records that {@code range} is in the file, so that a rerun after a kill does not fetch it again. */
    private void inTheFile(int range) {
        List<Integer> ranges = new ArrayList<>();
        synchronized (inFile) {
            inFile.set(range);
            inFile.stream().forEach(ranges::add);
            AtomicFiles.writeJson(journalFile, new Journal(key, etag, size, rangeBytes, ranges));
        }
    }

    private long lengthOf(int range) {
        return Math.min(rangeBytes, size - range * rangeBytes);
    }

    /** The object's whole size from {@code Content-Range: bytes a-b/total}; -1 when not given. */
    static long totalOf(String contentRange) {
        if (contentRange == null) {
            return -1;
        }
        int slash = contentRange.lastIndexOf('/');
        try {
            return slash < 0
                    ? -1
                    : Long.parseLong(contentRange.substring(slash + 1).strip());
        } catch (NumberFormatException unknown) {
            return -1; // "*": the store does not say
        }
    }

    private void fetchNext() {
        int range = nextMissing();
        if (range >= received.length() || done.isDone()) {
            return;
        }
        fetch(range, false).whenComplete((response, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
                return;
            }
            try {
                inTheFile(range);
            } catch (RuntimeException journalFailure) {
                done.completeExceptionally(journalFailure);
                return;
            }
            fetchNext();
            finishedOne();
        });
    }

    private void finishedOne() {
        if (rangesLeft.decrementAndGet() == 0) {
            done.complete(null);
        }
    }

    private CompletableFuture<GetObjectResponse> fetch(int range, boolean first) {
        long from = range * rangeBytes;
        long to = Math.min(size, from + rangeBytes) - 1;
        return conditionalReads.fetch(
                first ? null : etag,
                "s3://" + bucket + "/" + key,
                ifMatch -> client.getObject(
                        b -> {
                            b.bucket(bucket).key(key).range("bytes=" + from + "-" + to);
                            if (ifMatch != null) {
                                b.ifMatch(ifMatch);
                            }
                        },
                        new CountingTransformer<>(toFile(from), bytes -> report(range, bytes))),
                response -> response);
    }

    private AsyncResponseTransformer<GetObjectResponse, GetObjectResponse> toFile(long from) {
        return AsyncResponseTransformer.toFile(
                target,
                FileTransformerConfiguration.builder()
                        .fileWriteOption(FileWriteOption.WRITE_TO_POSITION)
                        .position(from)
                        .failureBehavior(FailureBehavior.LEAVE)
                        .build());
    }

    private void report(int range, long bytes) {
        received.set(range, bytes);
        long total = 0;
        for (int i = 0; i < received.length(); i++) {
            total += received.get(i);
        }
        bytesSoFar.accept(total);
    }
}
