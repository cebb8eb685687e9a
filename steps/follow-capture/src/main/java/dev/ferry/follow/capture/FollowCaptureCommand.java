package dev.ferry.follow.capture;

import dev.ferry.core.DaemonThreads;
import dev.ferry.core.StepCommand;
import dev.ferry.core.StepFailure;
import dev.ferry.core.StepResults;
import dev.ferry.core.StepStop;
import dev.ferry.core.StepSummary;
import dev.ferry.core.config.FerryConfig;
import dev.ferry.core.config.Settings;
import dev.ferry.crypto.ObjectEncryption;
import dev.ferry.follow.Capture;
import dev.ferry.follow.Segment;
import dev.ferry.follow.bucket.BucketSegmentStore;
import dev.ferry.follow.bucket.CaptureHeartbeat;
import dev.ferry.follow.bucket.FinalState;
import dev.ferry.follow.bucket.FinalStateObject;
import dev.ferry.follow.bucket.FollowObjects;
import dev.ferry.follow.bucket.SealedObjects;
import dev.ferry.pg.PgConnector;
import dev.ferry.pg.PgEndpoint;
import dev.ferry.pg.PostgresConfig;
import dev.ferry.s3.ObjectStore;
import dev.ferry.s3.S3Transfer;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.postgresql.replication.LogSequenceNumber;

/**
 * The follow-capture step, on the old cluster, long-running: streams the follow's replication slot and stores what
 * the source commits as segments in the bucket, confirming the slot only once a segment is stored; writes a heartbeat
 * at a set interval; goes on from the slot after a restart (a lost pod or node); stops cleanly on SIGTERM, and ends
 * (exit 0) once it has stored the segment that holds a drain marker.
 */
public class FollowCaptureCommand extends StepCommand {

    private static final Logger LOG = Logger.getLogger(FollowCaptureCommand.class);
    static final String APPLICATION_NAME = "ferry-follow-capture";

    /** How long SIGTERM waits for the segment in hand to be stored: well inside Kubernetes' 30 s grace period. */
    private static final long STOP_GRACE_SECONDS = 20;

    @Inject
    FerryConfig ferry;

    @Inject
    PostgresConfig postgres;

    @Inject
    ObjectStore objectStore;

    @Inject
    ObjectEncryption encryption;

    @Inject
    FollowCaptureConfig config;

    @Override
    // The SIGTERM registration is a resource held for the try's extent only: closing it is its whole use.
    @SuppressWarnings("try")
    protected StepSummary execute(String... args) throws Exception {
        String migrationId = FollowObjects.requiredMigrationId(ferry);
        Settings.positive(config.segmentMaxAge(), "FERRY_FOLLOW_CAPTURE_SEGMENT_MAX_AGE");
        Duration heartbeatInterval =
                Settings.positive(config.heartbeatInterval(), "FERRY_FOLLOW_CAPTURE_HEARTBEAT_INTERVAL");
        Settings.positive(config.slotBusyTimeout(), "FERRY_FOLLOW_CAPTURE_SLOT_BUSY_TIMEOUT");
        if (config.segmentMaxChanges() < 1) {
            throw StepFailure.badConfiguration(
                    "FERRY_FOLLOW_CAPTURE_SEGMENT_MAX_CHANGES is " + config.segmentMaxChanges() + "; use 1 or more");
        }
        Capture.Limits limits = new Capture.Limits(
                config.segmentMaxChanges(), config.segmentMaxBytes().asLongValue(), config.segmentMaxAge());
        PgEndpoint source = PgEndpoint.from(postgres);
        PgConnector connector = new PgConnector(source, APPLICATION_NAME);

        try (S3Transfer s3 = objectStore.open()) {
            FollowObjects objects = new FollowObjects(s3.layout(), migrationId);
            BucketSegmentStore store = new BucketSegmentStore(s3, objects, encryption);
            s3.checkBucket();
            SourceSlot slot;
            try (Connection sql = connector.open()) {
                slot = SourceSlot.awaitUsable(sql, config.slot(), source.database(), config.slotBusyTimeout());
            }
            Optional<LogSequenceNumber> stored = store.lastEnd();
            refuseMissingSegments(slot, stored, store);
            FollowTouches touches = FollowTouches.stored(store);
            SnapshotRows snapshotRows = new SnapshotRows(
                    s3, migrationId, slot.name(), () -> touches.firstStart().orElse(slot.confirmedFlush()));
            snapshotRows.lookUp();
            LOG.infof(
                    "phase=prepare source=%s slot=%s publication=%s confirmed=%s store=%s stored_up_to=%s"
                            + " encryption=%s",
                    source.describe(),
                    slot.name(),
                    config.publication(),
                    slot.confirmedFlush().asString(),
                    store,
                    stored.map(LogSequenceNumber::asString).orElse("none"),
                    store.describeEncryption());

            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch ended = new CountDownLatch(1);
            Capture.Result result = null;
            CaptureHeartbeat.State last = CaptureHeartbeat.State.FAILED;
            ScheduledExecutorService beats =
                    Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("ferry-heartbeat"));
            // SIGTERM: the segment in hand is stored and the slot confirmed before the JVM goes; a restart goes on.
            try (Heartbeat heartbeat = new Heartbeat(connector, s3, objects, slot.name());
                    Connection replication = connector.openReplication();
                    StepStop.Registration onStop = StepStop.onStop(() -> {
                        stop.set(true);
                        awaitQuietly(ended);
                    })) {
                Capture capture = new Capture(
                                replication, slot.name(), config.publication(), store, slot.confirmedFlush(), limits)
                        .whenStored(touches::add);
                heartbeat.follow(capture);
                beats.scheduleWithFixedDelay(
                        () -> {
                            heartbeat.beat(CaptureHeartbeat.State.FOLLOWING, null);
                            snapshotRows.lookUp();
                        },
                        0,
                        heartbeatInterval.toMillis(),
                        TimeUnit.MILLISECONDS);
                try {
                    result = capture.run(stop::get);
                    // Lets go of the slot now, not at the JVM's exit: the drain reads it (for writes after the
                    // marker) before it commits, and the outage waits for that.
                    replication.close();
                    if (result.marker().isPresent()) {
                        storeFinalState(
                                connector, s3, objects, migrationId, result, touches, snapshotRows.forFinalState());
                    }
                    last = result.marker().isPresent()
                            ? CaptureHeartbeat.State.DRAINED
                            : CaptureHeartbeat.State.STOPPED;
                } finally {
                    beats.shutdownNow();
                    heartbeat.beat(last, result == null ? null : result.marker().orElse(null));
                }
            } finally {
                ended.countDown();
            }
            StepResults results = new StepResults(ferry.effectiveResultsDir());
            results.write("stored-up-to", result.storedUpTo().asString());
            results.write("segments", result.segments());
            results.write("marker", result.marker().orElse(""));
            return StepSummary.of()
                    .with("segments", result.segments())
                    .with("transactions", result.transactions())
                    .with("changes", result.changes())
                    .with("stored_up_to", result.storedUpTo().asString())
                    .with("marker", result.marker().orElse("none"));
        }
    }

    /**
     * Reads what the frozen source looks like at the drain marker, in one snapshot, and stores it for apply to prove
     * ({@code follow/final-state.json}, sealed as the segments are), before the heartbeat says DRAINED: capture holds
     * every key the follow touched, so the outage waits only for the source's answers.
     */
    private void storeFinalState(
            PgConnector connector,
            S3Transfer s3,
            FollowObjects objects,
            String migrationId,
            Capture.Result result,
            FollowTouches touches,
            Map<String, Long> rowsAtSnapshot)
            throws Exception {
        long started = System.nanoTime();
        String label = result.marker().get();
        String markerSegment = Segment.nameFor(result.storedUpTo());
        SealedObjects sealed = new SealedObjects(s3, objects, encryption);
        FinalState state;
        try (Connection sql = connector.open()) {
            state = FrozenSource.read(
                    sql,
                    connector::open,
                    new FrozenSource.Drain(
                            migrationId,
                            label,
                            markerSegment,
                            touches.keys(),
                            rowsAtSnapshot,
                            config.finalCounts() == FollowCaptureConfig.FinalCounts.EXACT),
                    sealed);
        }
        FinalStateObject.write(sealed, state);
        LOG.infof(
                "phase=final-state marker=%s segments=%d %s object=%s encryption=%s seconds=%.2f",
                label,
                touches.segments(),
                state.summary(),
                s3.layout().uri(objects.key(FollowObjects.FINAL_STATE)),
                sealed.describeEncryption(),
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * The slot confirms only what is stored, so it can never be ahead of the newest segment in the bucket; when it
     * is, the changes in between are in no segment (another capture of this slot wrote elsewhere, or segments were
     * removed) and cannot be read again.
     */
    private static void refuseMissingSegments(
            SourceSlot slot, Optional<LogSequenceNumber> stored, BucketSegmentStore store) {
        if (stored.isPresent() && slot.confirmedFlush().compareTo(stored.get()) > 0) {
            throw StepFailure.refused("replication slot \"" + slot.name() + "\" has confirmed the source's changes up"
                    + " to " + slot.confirmedFlush().asString() + " but the newest segment in " + store + " ends at "
                    + stored.get().asString() + ": the changes in between are in no segment (a capture of this slot"
                    + " with another FERRY_MIGRATION_ID or FERRY_S3_PREFIX?) and cannot be read again; start the follow"
                    + " again from a new base copy");
        }
    }

    private static void awaitQuietly(CountDownLatch ended) {
        try {
            ended.await(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
