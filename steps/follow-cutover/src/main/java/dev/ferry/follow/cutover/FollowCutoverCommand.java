package dev.ferry.follow.cutover;

import dev.ferry.core.ByteSizes;
import dev.ferry.core.StepCommand;
import dev.ferry.core.StepFailure;
import dev.ferry.core.StepResults;
import dev.ferry.core.StepSummary;
import dev.ferry.core.config.FerryConfig;
import dev.ferry.core.config.Settings;
import dev.ferry.crypto.ObjectEncryption;
import dev.ferry.follow.WritesAfterMarker;
import dev.ferry.follow.bucket.ApplyProgress;
import dev.ferry.follow.bucket.CaptureHeartbeat;
import dev.ferry.follow.bucket.CutoverCommit;
import dev.ferry.follow.bucket.FinalState;
import dev.ferry.follow.bucket.FinalStateObject;
import dev.ferry.follow.bucket.FollowObjects;
import dev.ferry.follow.bucket.FollowStatus;
import dev.ferry.follow.bucket.SealedObjects;
import dev.ferry.pg.PgConnector;
import dev.ferry.pg.PgEndpoint;
import dev.ferry.pg.PostgresConfig;
import dev.ferry.s3.ObjectStore;
import dev.ferry.s3.S3Transfer;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.postgresql.replication.LogSequenceNumber;

/**
 * The follow-cutover step, on the old cluster. {@code check-lag}, before the freeze, refuses (exit 3, Onyx
 * untouched) while apply lags or capture or apply is not running. {@code drain}, after the freeze, writes the drain
 * marker with every sequence's value into the source's WAL and waits until capture stored the segment holding it and
 * what the frozen source looks like ({@code follow/final-state.json}, which apply proves on the target).
 */
public class FollowCutoverCommand extends StepCommand {

    private static final Logger LOG = Logger.getLogger(FollowCutoverCommand.class);
    /** object_in_use: the slot is still held by capture's WAL sender. */
    private static final String SLOT_IN_USE = "55006";

    private static final long SLOT_RELEASE_POLL_MILLIS = 20;
    static final String APPLICATION_NAME = "ferry-follow-cutover";

    @Inject
    FerryConfig ferry;

    @Inject
    PostgresConfig postgres;

    @Inject
    ObjectStore objectStore;

    @Inject
    ObjectEncryption encryption;

    @Inject
    FollowCutoverConfig config;

    @Override
    protected StepSummary execute(String... args) throws Exception {
        String migrationId = ferry.givenMigrationId()
                .orElseThrow(() -> StepFailure.badConfiguration("FERRY_MIGRATION_ID is not set: it names the follow's"
                        + " folder in the bucket (<FERRY_S3_PREFIX>/<id>/follow/), the same as capture's and apply's"));
        Settings.positive(config.maxReportAge(), "FERRY_FOLLOW_CUTOVER_MAX_REPORT_AGE");
        Settings.positive(config.maxLagTime(), "FERRY_FOLLOW_CUTOVER_MAX_LAG_TIME");
        Settings.positive(config.drainTimeout(), "FERRY_FOLLOW_CUTOVER_DRAIN_TIMEOUT");
        Settings.positive(config.pollInterval(), "FERRY_FOLLOW_CUTOVER_POLL_INTERVAL");
        if (config.marker().isBlank() || config.marker().startsWith("{")) {
            throw StepFailure.badConfiguration("FERRY_FOLLOW_CUTOVER_MARKER is \"" + config.marker()
                    + "\"; use a label such as cutover-1 (not empty, not starting with {)");
        }
        PgConnector connector = new PgConnector(PgEndpoint.from(postgres), APPLICATION_NAME);
        // The drain writes its marker on a thread of its own from the start: the bucket's client takes longer to start.
        try (MarkerSession source = config.action() == FollowCutoverConfig.Action.DRAIN
                        ? MarkerSession.writing(connector, config.slot(), config.marker())
                        : null;
                S3Transfer s3 = objectStore.open()) {
            FollowObjects objects = new FollowObjects(s3.layout(), migrationId);
            s3.checkBucket();
            StepResults results = new StepResults(ferry.effectiveResultsDir());
            return switch (config.action()) {
                case CHECK_LAG -> checkLag(s3, objects, results);
                case DRAIN -> drain(s3, objects, results, source, connector);
            };
        }
    }

    private LagCheck lagCheck() {
        return new LagCheck(config.maxReportAge(), config.maxLag().asLongValue(), config.maxLagTime());
    }

    private StepSummary checkLag(S3Transfer s3, FollowObjects objects, StepResults results) {
        LagCheck.Verdict verdict = lagCheck()
                .judge(
                        heartbeat(s3, objects),
                        FollowStatus.read(s3, objects.applyProgressKey(), ApplyProgress.class),
                        Instant.now());
        String predicted = String.format(
                Locale.ROOT,
                "%s of WAL to store and apply, apply %.1f s behind",
                ByteSizes.human(verdict.drainBytes()),
                verdict.lagSeconds());
        LOG.infof(
                "phase=check-lag capture_behind_bytes=%d apply_behind_bytes=%d lag_seconds=%.1f predicted_drain=\"%s\"",
                verdict.captureBehindBytes(), verdict.applyBehindBytes(), verdict.lagSeconds(), predicted);
        results.write("ready", verdict.refusals().isEmpty());
        results.write("drain-bytes", verdict.drainBytes());
        results.write("lag-seconds", String.format(Locale.ROOT, "%.1f", verdict.lagSeconds()));
        verdict.refusals().forEach(refusal -> LOG.errorf("phase=check-lag refused=\"%s\"", refusal));
        if (!verdict.refusals().isEmpty()) {
            throw StepFailure.refused("not ready to freeze: " + String.join("; ", verdict.refusals()));
        }
        return StepSummary.of().with("ready", true).with("predicted_drain", predicted);
    }

    private StepSummary drain(
            S3Transfer s3, FollowObjects objects, StepResults results, MarkerSession source, PgConnector connector)
            throws Exception {
        String label = config.marker();
        double markerSeconds = 0;
        Optional<CaptureHeartbeat> before = heartbeat(s3, objects);
        // Capture may have stored this run's marker, and said DRAINED, before the bucket's client was up.
        MarkerSession.Outcome outcome = source.outcome();
        if (outcome instanceof MarkerSession.Written marker) {
            LOG.infof(
                    "phase=marker marker=%s lsn=%s sequences=%d seconds=%.2f",
                    label, marker.lsn().asString(), marker.sequences(), marker.seconds());
            markerSeconds = marker.seconds();
        } else if (before.filter(b -> drainedAt(b, label)).isPresent()) {
            // Nothing streams the slot any more because capture already drained at this marker: a drain run again.
            LOG.infof(
                    "phase=marker marker=%s written=earlier stored_up_to=%s",
                    label, before.get().storedUpTo());
        } else {
            String why = ((MarkerSession.NotStreaming) outcome).why();
            List<String> heartbeat = lagCheck().judge(before, Optional.empty(), Instant.now()).refusals().stream()
                    .filter(r -> r.startsWith("capture"))
                    .toList();
            throw StepFailure.refused("the drain needs a running capture to store its marker, and wrote none: " + why
                    + (heartbeat.isEmpty() ? "" : "; " + String.join("; ", heartbeat))
                    + ": start ferry-follow-capture, then run drain again");
        }
        long waiting = System.nanoTime();
        CaptureHeartbeat drained = awaitDrained(s3, objects, label);
        double waitedSeconds = secondsSince(waiting);

        // Capture stored the final state before it said DRAINED: what the drain reports is what apply will prove.
        SealedObjects sealed = new SealedObjects(s3, objects, encryption);
        FinalState state = FinalStateObject.read(sealed);
        if (!label.equals(state.marker())) {
            throw StepFailure.refused("capture reported drain marker " + label + " stored, but "
                    + s3.layout().uri(objects.key(FollowObjects.FINAL_STATE)) + " is the final state of marker "
                    + state.marker() + ": run drain again (capture, started again, stores the final state anew)");
        }
        LOG.infof(
                "phase=final-state marker=%s %s object=%s",
                label, state.summary(), s3.layout().uri(objects.key(FollowObjects.FINAL_STATE)));
        commit(s3, objects, connector, label, drained.storedUpTo());
        results.write("marker", label);
        results.write("stored-up-to", drained.storedUpTo());
        results.write("touched-rows", state.touchedRows());
        results.write("large-objects-carried", state.largeObjectsCarried().size());
        return StepSummary.of()
                .with("marker", label)
                .with("stored_up_to", drained.storedUpTo())
                .with("touched_rows", state.touchedRows())
                // Where the drain's time went: the marker, then capture storing it and the final state.
                .with("marker_seconds", seconds(markerSeconds))
                .with("waited_seconds", seconds(waitedSeconds));
    }

    /**
     * Commits the cutover for the new side ({@link CutoverCommit}), last, once the source is found to have taken no
     * write after the marker: capture ended there, so nothing would carry one. Refused otherwise: the old cluster's
     * unfreeze is then the way back, and the new side does not scale up.
     */
    private void commit(S3Transfer s3, FollowObjects objects, PgConnector connector, String label, String storedUpTo)
            throws SQLException, InterruptedException {
        long started = System.nanoTime();
        List<String> written = writesAfterMarker(connector, LogSequenceNumber.valueOf(storedUpTo));
        if (!written.isEmpty()) {
            throw StepFailure.refused("the source took writes after drain marker " + label + " (to " + written
                    + "): capture ended at the marker, so no follow carries them, and the cutover is not committed:"
                    + " the new cluster does not scale up. Something the freeze did not stop writes to the database,"
                    + " or the old cluster was unfrozen after an earlier drain: bring the old writers back, abandon"
                    + " this follow and start again from a new base copy");
        }
        String key = objects.key(FollowObjects.CUTOVER_COMMITTED);
        FollowStatus.write(
                s3,
                key,
                new CutoverCommit(CutoverCommit.FORMAT, objects.migrationId(), label, storedUpTo, Instant.now()));
        LOG.infof(
                "phase=commit marker=%s writes_after_marker=0 object=%s seconds=%.2f",
                label, s3.layout().uri(key), secondsSince(started));
    }

    /**
     * The tables written after the marker, read from the slot once capture has let go of it (its WAL sender ends a
     * moment after capture stored the final state).
     */
    private List<String> writesAfterMarker(PgConnector connector, LogSequenceNumber storedUpTo)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        try (Connection session = connector.open()) {
            while (true) {
                try {
                    return WritesAfterMarker.tables(session, config.slot(), config.publication(), storedUpTo);
                } catch (SQLException e) {
                    if (!SLOT_IN_USE.equals(e.getSQLState()) || System.nanoTime() > deadline) {
                        throw e;
                    }
                }
                TimeUnit.MILLISECONDS.sleep(SLOT_RELEASE_POLL_MILLIS);
            }
        }
    }

    private static double secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }

    private static String seconds(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private CaptureHeartbeat awaitDrained(S3Transfer s3, FollowObjects objects, String label)
            throws InterruptedException {
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        while (true) {
            Optional<CaptureHeartbeat> beat = heartbeat(s3, objects);
            if (beat.filter(b -> drainedAt(b, label)).isPresent()) {
                LOG.infof(
                        "phase=drained marker=%s stored_up_to=%s",
                        label, beat.get().storedUpTo());
                return beat.get();
            }
            if (beat.isPresent() && beat.get().state() != CaptureHeartbeat.State.FOLLOWING) {
                CaptureHeartbeat b = beat.get();
                throw StepFailure.refused("capture reported " + b.state() + " at " + b.at()
                        + (b.marker() == null ? "" : " at marker " + b.marker()) + " before it stored marker " + label
                        + ": start ferry-follow-capture again (it goes on from the slot and stops at the marker),"
                        + " then run drain again");
            }
            if (System.nanoTime() > deadline) {
                throw StepFailure.timedOut("capture did not store drain marker " + label + " within "
                        + config.drainTimeout() + " (FERRY_FOLLOW_CUTOVER_DRAIN_TIMEOUT): is ferry-follow-capture"
                        + " running? Run drain again to wait again (it writes the marker again; capture stops at the"
                        + " first one, and both carry the frozen source's sequences)");
            }
            Thread.sleep(config.pollInterval().toMillis());
        }
    }

    private static boolean drainedAt(CaptureHeartbeat beat, String label) {
        return beat.state() == CaptureHeartbeat.State.DRAINED && label.equals(beat.marker());
    }

    private static Optional<CaptureHeartbeat> heartbeat(S3Transfer s3, FollowObjects objects) {
        return FollowStatus.read(s3, objects.heartbeatKey(), CaptureHeartbeat.class);
    }
}
