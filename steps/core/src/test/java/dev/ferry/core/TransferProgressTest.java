package dev.ferry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TransferProgressTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void reportsPercentRateAndEtaFromAKnownTotal() {
        AtomicLong clock = new AtomicLong();
        TransferProgress progress =
                new TransferProgress("upload", "dump.pgdump", 4L << 20, Duration.ofSeconds(5), clock::get);

        clock.set(2 * SECOND);
        String line = progress.line(1L << 20, clock.get());

        assertThat(line)
                .contains(
                        "phase=upload",
                        "subject=dump.pgdump",
                        "bytes=1048576",
                        "percent=25.0",
                        "rate=512.0KiB/s",
                        "eta=6s");
    }

    @Test
    void leavesOutPercentAndEtaWhenTheTotalIsUnknown() {
        AtomicLong clock = new AtomicLong();
        TransferProgress progress = new TransferProgress("dump", "dump.pgdump", -1, Duration.ofSeconds(5), clock::get);

        clock.set(SECOND);
        String line = progress.line(2048, clock.get());

        assertThat(line).contains("bytes=2048", "rate=2.0KiB/s").doesNotContain("percent", "eta");
    }
}
