package dev.ferry.core;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Progress of one long transfer (a dump being written, an object being uploaded): logs bytes,
 * percent, rate and ETA at most once per interval, so a person watching a TaskRun log can tell a
 * slow transfer from a stuck one. Thread-safe: the SDK reports bytes from its own threads.
 */
public final class TransferProgress {

    private static final Logger LOG = Logger.getLogger(TransferProgress.class);

    private final String phase;
    private final String subject;
    private final long totalBytes;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final long startedNanos;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong lastReportNanos;

    /** {@code totalBytes} below zero means unknown: no percent, no ETA. */
    public TransferProgress(String phase, String subject, long totalBytes, Duration interval) {
        this(phase, subject, totalBytes, interval, System::nanoTime);
    }

    TransferProgress(String phase, String subject, long totalBytes, Duration interval, LongSupplier clock) {
        this.phase = phase;
        this.subject = subject;
        this.totalBytes = totalBytes;
        this.intervalNanos = interval.toNanos();
        this.clock = clock;
        this.startedNanos = clock.getAsLong();
        this.lastReportNanos = new AtomicLong(startedNanos);
    }

    /** Adds transferred bytes and logs a line when the interval has passed. */
    public void add(long delta) {
        update(bytes.addAndGet(delta));
    }

    /** Sets the absolute byte count (for sources that report a total, like a growing file). */
    public void set(long absoluteBytes) {
        bytes.set(absoluteBytes);
        update(absoluteBytes);
    }

    private void update(long current) {
        long now = clock.getAsLong();
        long last = lastReportNanos.get();
        if (now - last >= intervalNanos && lastReportNanos.compareAndSet(last, now)) {
            LOG.info(line(current, now));
        }
    }

    /** Logs the final line of the transfer. */
    public void finish() {
        long now = clock.getAsLong();
        LOG.info(line(bytes.get(), now) + " done=true");
    }

    public long bytes() {
        return bytes.get();
    }

    String line(long current, long now) {
        double seconds = Math.max((now - startedNanos) / 1e9, 1e-9);
        double rate = current / seconds;
        StringBuilder line = new StringBuilder(128)
                .append("progress phase=")
                .append(phase)
                .append(" subject=")
                .append(subject)
                .append(" bytes=")
                .append(current)
                .append(" size=")
                .append(ByteSizes.human(current));
        if (totalBytes > 0) {
            line.append(" total=")
                    .append(ByteSizes.human(totalBytes))
                    .append(String.format(Locale.ROOT, " percent=%.1f", 100.0 * current / totalBytes));
            if (rate > 0 && current < totalBytes) {
                line.append(String.format(Locale.ROOT, " eta=%.0fs", (totalBytes - current) / rate));
            }
        }
        line.append(" rate=")
                .append(ByteSizes.human((long) rate))
                .append("/s")
                .append(String.format(Locale.ROOT, " elapsed=%.1fs", seconds));
        return line.toString();
    }
}
