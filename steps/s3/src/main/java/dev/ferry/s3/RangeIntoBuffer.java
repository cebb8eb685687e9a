package dev.ferry.s3;

import dev.ferry.core.StepFailure;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * A ranged GET's body copied into a buffer the caller lends, which it gives back once it has read the range: a
 * streamed download then reuses the same few buffers for every range instead of allocating (and growing, and
 * copying) a new array per range, so its heap stays as small for a 1 GiB object as for a 10 MB one. A retried
 * request starts again at the buffer's start.
 */
final class RangeIntoBuffer implements AsyncResponseTransformer<GetObjectResponse, RangeIntoBuffer.Filled> {

    /** The answer to one ranged GET: its response, and its body in {@code bytes[0, length)}. */
    record Filled(GetObjectResponse response, byte[] bytes, int length) {}

    private final byte[] buffer;
    private final String subject;
    private volatile CompletableFuture<Filled> result;
    private volatile GetObjectResponse response;
    private int length;

    RangeIntoBuffer(byte[] buffer, String subject) {
        this.buffer = buffer;
        this.subject = subject;
    }

    @Override
    public CompletableFuture<Filled> prepare() {
        length = 0;
        result = new CompletableFuture<>();
        return result;
    }

    @Override
    public void onResponse(GetObjectResponse response) {
        this.response = response;
    }

    @Override
    public void onStream(SdkPublisher<ByteBuffer> publisher) {
        publisher.subscribe(new Subscriber<ByteBuffer>() {
            private Subscription subscription;

            @Override
            public void onSubscribe(Subscription subscription) {
                this.subscription = subscription;
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer bytes) {
                int n = bytes.remaining();
                if (n > buffer.length - length) {
                    subscription.cancel();
                    result.completeExceptionally(StepFailure.verificationFailed(
                            subject + " answered a range with more bytes than it asked for (" + (length + n) + " > "
                                    + buffer.length + ")"));
                    return;
                }
                bytes.get(buffer, length, n);
                length += n;
            }

            @Override
            public void onError(Throwable failure) {
                result.completeExceptionally(failure);
            }

            @Override
            public void onComplete() {
                result.complete(new Filled(response, buffer, length));
            }
        });
    }

    @Override
    public void exceptionOccurred(Throwable error) {
        CompletableFuture<Filled> pending = result;
        if (pending != null) {
            pending.completeExceptionally(error);
        }
    }
}
