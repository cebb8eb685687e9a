package dev.ferry.s3;

import dev.ferry.core.StepFailure;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Keeps the ranges of one download from two different objects. Every range after the first is asked for
 * {@code If-Match} the first answer's ETag, so a store replacing the object mid-download refuses the range (412).
 * A store that does not take conditional GETs (answers 501, 405 or 400 to them) is asked without the header from
 * then on, with one warning, and each range's own ETag is compared with the pinned one instead: the same guarantee
 * by another path, one response later.
 */
final class ConditionalReads {

    private static final Logger LOG = Logger.getLogger(ConditionalReads.class);

    private final AtomicBoolean honoured = new AtomicBoolean(true);

    /**
     * The range {@code get} fetches with {@code If-Match: pinned} (a null {@code pinned}: nothing to match yet),
     * fetched again without it, its ETag checked, when the store refuses the condition itself.
     */
    <T> CompletableFuture<T> fetch(
            String pinned,
            String uri,
            Function<String, CompletableFuture<T>> get,
            Function<T, GetObjectResponse> answer) {
        if (pinned == null || !honoured.get()) {
            return get.apply(null).thenApply(range -> sameObject(pinned, uri, range, answer));
        }
        return get.apply(pinned).exceptionallyCompose(failure -> {
            if (!S3Failures.unsupported(failure)) {
                return CompletableFuture.failedFuture(failure);
            }
            if (honoured.compareAndSet(true, false)) {
                LOG.warnf(
                        "phase=download warning=\"the store does not take conditional GETs (If-Match was answered %s):"
                                + " each range's ETag is compared with the first one's instead\"",
                        S3Failures.describeAnswer(failure));
            }
            return get.apply(null).thenApply(range -> sameObject(pinned, uri, range, answer));
        });
    }

    private static <T> T sameObject(String pinned, String uri, T range, Function<T, GetObjectResponse> answer) {
        String etag = answer.apply(range).eTag();
        if (pinned != null && etag != null && !etag.equals(pinned)) {
            throw StepFailure.verificationFailed(uri + " changed while it was being read (ETag " + etag + " where "
                    + pinned + " was first): another run replaced it; rerun the step");
        }
        return range;
    }
}
