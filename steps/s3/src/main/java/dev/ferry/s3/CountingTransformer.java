package dev.ferry.s3;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.SdkPublisher;

/**
 * Passes a response body through to another transformer, reporting the bytes received so far (for
 * progress lines). A retried request starts again from zero, as the file does.
 */
final class CountingTransformer<R, T> implements AsyncResponseTransformer<R, T> {

    private final AsyncResponseTransformer<R, T> delegate;
    private final LongConsumer bytesSoFar;
    private final AtomicLong received = new AtomicLong();

    CountingTransformer(AsyncResponseTransformer<R, T> delegate, LongConsumer bytesSoFar) {
        this.delegate = delegate;
        this.bytesSoFar = bytesSoFar;
    }

    @Override
    public CompletableFuture<T> prepare() {
        received.set(0);
        return delegate.prepare();
    }

    @Override
    public void onResponse(R response) {
        delegate.onResponse(response);
    }

    @Override
    public void onStream(SdkPublisher<ByteBuffer> publisher) {
        delegate.onStream(publisher.map(buffer -> {
            bytesSoFar.accept(received.addAndGet(buffer.remaining()));
            return buffer;
        }));
    }

    @Override
    public void exceptionOccurred(Throwable error) {
        delegate.exceptionOccurred(error);
    }

    @Override
    public String name() {
        return delegate.name();
    }
}
