package dev.ferry.s3;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The parts of one multipart upload, as both ways of sending them see them: which are stored (by number, in the
 * order CompleteMultipartUpload wants), which are still on their way, and the first failure, after which no more
 * parts are started. Parts complete on the SDK's threads while the sender decides what to send next.
 */
final class PartsInFlight {

    private final Map<Integer, CompletedPart> stored = new ConcurrentSkipListMap<>();
    private final List<CompletableFuture<?>> sending = new ArrayList<>();
    private final CompletableFuture<Void> firstFailure = new CompletableFuture<>();

    /** Parts an earlier run left in the store that hold exactly the bytes due. */
    void alreadyStored(Map<Integer, CompletedPart> parts) {
        stored.putAll(parts);
    }

    boolean isStored(int number) {
        return stored.containsKey(number);
    }

    int storedCount() {
        return stored.size();
    }

    Iterable<Integer> storedNumbers() {
        return stored.keySet();
    }

    /** Whether a part failed: the sender starts no more. */
    boolean failed() {
        return firstFailure.isDone();
    }

    /** Completes (exceptionally) as soon as a part fails, for a sender that waits for a free slot meanwhile. */
    CompletableFuture<Void> firstFailure() {
        return firstFailure;
    }

    /**
     * Follows part {@code number} on its way: {@code whenOver} runs when its request is over (whatever the outcome,
     * so its slot or buffer is free again), {@code whenStored} once the store holds it.
     */
    void track(int number, CompletableFuture<UploadPartResponse> upload, Runnable whenOver, Runnable whenStored) {
        sending.add(upload.whenComplete((response, failure) -> {
            whenOver.run();
            if (failure != null) {
                firstFailure.completeExceptionally(failure);
                return;
            }
            stored.put(
                    number,
                    CompletedPart.builder()
                            .partNumber(number)
                            .eTag(response.eTag())
                            .checksumCRC32(response.checksumCRC32())
                            .build());
            whenStored.run();
        }));
    }

    /** Waits until every part sent is stored, or fails with the first part that failed; the parts, in order. */
    List<CompletedPart> awaitAll(S3Transfer store) {
        CompletableFuture<Void> all = CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new));
        store.await(
                S3Call.UPLOAD_PART, CompletableFuture.anyOf(all, firstFailure).thenCompose(ignored -> all));
        return new ArrayList<>(stored.values());
    }
}
