package dev.ferry.follow.cutover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.follow.bucket.ApplyProgress;
import dev.ferry.follow.bucket.CaptureHeartbeat;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The reasons check-lag gives not to freeze, from the two reports alone. */
class LagCheckTest {

    static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    final LagCheck check = new LagCheck(Duration.ofMinutes(1), 64L << 20, Duration.ofSeconds(60));

    static CaptureHeartbeat heartbeat(CaptureHeartbeat.State state, Instant at, String storedUpTo, long lagBytes) {
        return new CaptureHeartbeat(
                CaptureHeartbeat.FORMAT, "ferry_follow", at, state, storedUpTo, "0/0", lagBytes, 3, null, null);
    }

    static ApplyProgress progress(ApplyProgress.State state, Instant at, String appliedUpTo, double lag, String error) {
        return new ApplyProgress(
                ApplyProgress.FORMAT, "ferry_follow", at, state, appliedUpTo, null, null, lag, 0, 3, 0, null, error);
    }

    @Test
    void both_running_and_close_behind_is_ready_with_the_predicted_drain() {
        LagCheck.Verdict verdict = check.judge(
                Optional.of(heartbeat(CaptureHeartbeat.State.FOLLOWING, NOW.minusSeconds(5), "0/3000000", 4096)),
                Optional.of(progress(ApplyProgress.State.FOLLOWING, NOW.minusSeconds(5), "0/2F00000", 1.5, null)),
                NOW);
        assertThat(verdict.refusals()).isEmpty();
        assertThat(verdict.applyBehindBytes()).isEqualTo(0x100000);
        assertThat(verdict.drainBytes()).isEqualTo(0x100000 + 4096);
    }

    @Test
    void apply_far_behind_in_bytes_or_time_is_refused_naming_the_setting() {
        LagCheck.Verdict verdict = check.judge(
                Optional.of(heartbeat(CaptureHeartbeat.State.FOLLOWING, NOW.minusSeconds(5), "0/9000000", 0)),
                Optional.of(progress(ApplyProgress.State.FOLLOWING, NOW.minusSeconds(5), "0/1000000", 75, null)),
                NOW);
        assertThat(verdict.refusals())
                .hasSize(2)
                .anySatisfy(r -> assertThat(r).contains("more than FERRY_FOLLOW_CUTOVER_MAX_LAG (64.0MiB)"))
                .anySatisfy(r -> assertThat(r).contains("75.0 s old").contains("FERRY_FOLLOW_CUTOVER_MAX_LAG_TIME"));
    }

    @Test
    void a_stale_a_failed_or_a_missing_report_means_not_running() {
        LagCheck.Verdict verdict = check.judge(
                Optional.of(heartbeat(CaptureHeartbeat.State.FOLLOWING, NOW.minusSeconds(90), "0/3000000", 0)),
                Optional.of(progress(
                        ApplyProgress.State.FAILED, NOW.minusSeconds(5), "0/3000000", 0, "relation x does not exist")),
                NOW);
        assertThat(verdict.refusals())
                .containsExactly(
                        "capture's last report is 90 s old, more than FERRY_FOLLOW_CUTOVER_MAX_REPORT_AGE (PT1M): it"
                                + " is not running; start it again before the cutover",
                        "apply reported FAILED at 2026-12-06T11:59:55Z (relation x does not exist): its log's last"
                                + " line says why; fix it and start it again before the cutover");
        assertThat(check.judge(Optional.empty(), Optional.empty(), NOW).refusals())
                .hasSize(2)
                .allSatisfy(r -> assertThat(r).contains("it is not running"));
    }
}
