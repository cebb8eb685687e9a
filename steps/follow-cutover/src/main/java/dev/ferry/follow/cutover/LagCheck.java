package dev.ferry.follow.cutover;

import dev.ferry.core.ByteSizes;
import dev.ferry.follow.bucket.ApplyProgress;
import dev.ferry.follow.bucket.CaptureHeartbeat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postgresql.replication.LogSequenceNumber;

/**
 * Whether the follow may be frozen now, from what capture and apply last reported in the bucket: both running (a
 * report younger than the limit, in state FOLLOWING), and apply close enough behind the source that the drain, which
 * happens while Onyx is frozen, is short. Every reason to refuse is listed, each naming what to do.
 */
record LagCheck(Duration maxReportAge, long maxLagBytes, Duration maxLagTime) {

    /**
     * What the reports say: the WAL capture has not stored yet, what it stored and apply has not applied yet, how old
     * apply's newest applied change is while segments wait, and the refusals (none: the cutover may freeze).
     */
    record Verdict(long captureBehindBytes, long applyBehindBytes, double lagSeconds, List<String> refusals) {
        Verdict {
            refusals = List.copyOf(refusals);
        }

        /** The WAL the drain has to carry: capture's and apply's parts together. */
        long drainBytes() {
            return captureBehindBytes + applyBehindBytes;
        }
    }

    Verdict judge(Optional<CaptureHeartbeat> heartbeat, Optional<ApplyProgress> progress, Instant now) {
        List<String> refusals = new ArrayList<>();
        long captureBehind = 0;
        long applyBehind = 0;
        double lagSeconds = 0;
        if (heartbeat.isEmpty()) {
            refusals.add("capture has written no heartbeat (follow/capture-heartbeat.json): it is not running;"
                    + " start ferry-follow-capture with this FERRY_MIGRATION_ID");
        } else {
            CaptureHeartbeat beat = heartbeat.get();
            checkRunning("capture", beat.state().name(), null, beat.at(), now, refusals);
            captureBehind = Math.max(0, beat.lagBytes());
        }
        if (progress.isEmpty()) {
            refusals.add("apply has written no progress (follow/apply-progress.json): it is not running;"
                    + " start ferry-follow-apply on the new cluster with this FERRY_MIGRATION_ID");
        } else {
            ApplyProgress apply = progress.get();
            checkRunning("apply", apply.state().name(), apply.error(), apply.at(), now, refusals);
            lagSeconds = apply.lagSeconds();
            if (heartbeat.isPresent()) {
                applyBehind = Math.max(
                        0,
                        LogSequenceNumber.valueOf(heartbeat.get().storedUpTo()).asLong()
                                - LogSequenceNumber.valueOf(apply.appliedUpTo()).asLong());
            }
        }
        if (captureBehind + applyBehind > maxLagBytes) {
            refusals.add("apply is " + ByteSizes.human(captureBehind + applyBehind) + " of the source's WAL behind ("
                    + ByteSizes.human(applyBehind) + " stored and not applied, " + ByteSizes.human(captureBehind)
                    + " not stored yet), more than FERRY_FOLLOW_CUTOVER_MAX_LAG (" + ByteSizes.human(maxLagBytes)
                    + "): the drain would keep Onyx frozen that much longer; wait until apply catches up");
        }
        if (lagSeconds > maxLagTime.toMillis() / 1000.0) {
            refusals.add(String.format(
                    java.util.Locale.ROOT,
                    "apply's newest applied change is %.1f s old while segments wait, more than"
                            + " FERRY_FOLLOW_CUTOVER_MAX_LAG_TIME (%s): wait until apply catches up",
                    lagSeconds,
                    maxLagTime));
        }
        return new Verdict(captureBehind, applyBehind, lagSeconds, refusals);
    }

    private void checkRunning(
            String program, String state, String error, Instant at, Instant now, List<String> refusals) {
        if (state.equals("FAILED")) {
            refusals.add(program + " reported FAILED at " + at + (error == null ? "" : " (" + error + ")")
                    + ": its log's last line says why; fix it and start it again before the cutover");
        } else if (!state.equals("FOLLOWING")) {
            refusals.add(program + " reported " + state + " at " + at + ": it is not following; start it again"
                    + " before the cutover");
        } else if (Duration.between(at, now).compareTo(maxReportAge) > 0) {
            refusals.add(
                    program + "'s last report is " + Duration.between(at, now).toSeconds() + " s old, more than"
                            + " FERRY_FOLLOW_CUTOVER_MAX_REPORT_AGE (" + maxReportAge + "): it is not running; start it"
                            + " again before the cutover");
        }
    }
}
