package dev.ferry.follow.apply;

import dev.ferry.core.StepCommand;
import dev.ferry.core.StepFailure;
import dev.ferry.core.StepResults;
import dev.ferry.core.StepStop;
import dev.ferry.core.StepSummary;
import dev.ferry.core.config.FerryConfig;
import dev.ferry.core.config.Settings;
import dev.ferry.crypto.ObjectEncryption;
import dev.ferry.follow.CommittedTransaction;
import dev.ferry.follow.DrainMarker;
import dev.ferry.follow.Segment;
import dev.ferry.follow.SegmentApplier;
import dev.ferry.follow.SegmentCodec;
import dev.ferry.follow.SegmentNames;
import dev.ferry.follow.bucket.ApplyProgress;
import dev.ferry.follow.bucket.BucketSegmentStore;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.postgresql.replication.LogSequenceNumber;

/**
 * The follow-apply step, on the new cluster, long-running: polls the bucket for segments, applies them in LSN order
 * on the target, each in one transaction that records its end in a replication origin (so a segment delivered again is
 * skipped and a restart goes on where it was), writes its progress to the bucket for the old side to see, stops on
 * SIGTERM, and ends (exit 0) once it has applied the segment that holds a drain marker.
 */
public class FollowApplyCommand extends StepCommand {

    private static final Logger LOG = Logger.getLogger(FollowApplyCommand.class);
    static final String APPLICATION_NAME = "ferry-follow-apply";
    private static final long STOP_GRACE_SECONDS = 20;
    /** Differences logged one a line; the rest are counted. */
    private static final int LISTED_DIFFERENCES = 50;
    /**
     * How often apply looks for the final state once it applied the marker: Onyx is frozen meanwhile, so each poll's
     * latency is outage, while the wait itself lasts only as long as capture reads the final state.
     */
    private static final Duration FINAL_STATE_POLL = Duration.ofMillis(100);

    @Inject
    FerryConfig ferry;

    @Inject
    PostgresConfig postgres;

    @Inject
    ObjectStore objectStore;

    @Inject
    ObjectEncryption encryption;

    @Inject
    FollowApplyConfig config;

    @Override
    // The SIGTERM registration is a resource held for the try's extent only: closing it is its whole use.
    @SuppressWarnings("try")
    protected StepSummary execute(String... args) throws Exception {
        String migrationId = FollowObjects.requiredMigrationId(ferry);
        Duration poll = Settings.positive(config.pollInterval(), "FERRY_FOLLOW_APPLY_POLL_INTERVAL");
        Duration progressEvery = Settings.positive(config.progressInterval(), "FERRY_FOLLOW_APPLY_PROGRESS_INTERVAL");
        Optional<LogSequenceNumber> startLsn = config.startLsn()
                .filter(s -> !s.isBlank())
                .map(text -> {
                    LogSequenceNumber lsn = LogSequenceNumber.valueOf(text.strip());
                    if (lsn.equals(LogSequenceNumber.INVALID_LSN)) {
                        throw StepFailure.badConfiguration("FERRY_FOLLOW_APPLY_START_LSN is \"" + text
                                + "\"; use an LSN as PostgreSQL prints it, e.g. 0/1BB9ED0");
                    }
                    return lsn;
                });
        PgEndpoint target = PgEndpoint.from(postgres);

        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        try (S3Transfer s3 = objectStore.open();
                StepStop.Registration onStop = StepStop.onStop(() -> {
                    stop.countDown();
                    try {
                        ended.await(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                })) {
            FollowObjects objects = new FollowObjects(s3.layout(), migrationId);
            BucketSegmentStore store = new BucketSegmentStore(s3, objects, encryption);
            s3.checkBucket();
            LOG.infof("phase=prepare target=%s origin=%s store=%s", target.describe(), config.origin(), store);
            Progress progress = new Progress(s3, objects, config.origin(), progressEvery);
            PgConnector connector = new PgConnector(target, APPLICATION_NAME);
            SealedObjects sealed = new SealedObjects(s3, objects, encryption);
            try (Connection connection = connector.open()) {
                if (config.prove()) {
                    // Before the marker: the drain compares the source's large objects with these.
                    LargeObjectImport.report(connection, sealed);
                }
                Optional<LogSequenceNumber> start =
                        StartPoint.resolve(startLsn, connection, config.origin(), s3, migrationId);
                Follow follow =
                        new Follow(store, progress, new EndedFollow(s3, objects), connection, start, poll, stop);
                StepSummary summary = follow.run();
                if (follow.drainedAt == null) {
                    return summary;
                }
                if (config.prove()) {
                    Optional<FinalState> expected = awaitFinalState(sealed, follow.drainedAt, stop);
                    if (expected.isEmpty()) {
                        return summary;
                    }
                    long importing = System.nanoTime();
                    int changed = LargeObjectImport.apply(connection, sealed, expected.get());
                    LOG.infof(
                            "phase=large-objects carried=%d removed=%d seconds=%.2f",
                            expected.get().largeObjectsCarried().size(),
                            expected.get().largeObjectsRemoved().size(),
                            (System.nanoTime() - importing) / 1e9);
                    summary = prove(connector, expected.get(), summary.with("large_objects_changed", changed));
                }
                // Ending with 0 lets the new cluster scale up: only once the old side committed the cutover.
                return awaitCommit(s3, objects, follow.drainedAt, stop)
                        ? summary.with("cutover", "committed")
                        : summary;
            } catch (StepFailure failure) {
                progress.failed(failure.getMessage());
                throw failure;
            }
        } finally {
            ended.countDown();
        }
    }

    /**
     * Capture stores the final state right after the marker's segment, which apply may have applied before that: wait
     * for the one written for this marker. Empty when SIGTERM came meanwhile.
     */
    private Optional<FinalState> awaitFinalState(SealedObjects sealed, String marker, CountDownLatch stop)
            throws InterruptedException {
        long awaiting = System.nanoTime();
        long deadline = awaiting + config.finalStateTimeout().toNanos();
        LOG.infof("phase=prove awaiting=final-state marker=%s", marker);
        while (true) {
            if (FinalStateObject.exists(sealed)) {
                FinalState state = FinalStateObject.read(sealed);
                if (marker.equals(state.marker())) {
                    LOG.infof(
                            "phase=prove final-state=read marker=%s waited_seconds=%.2f",
                            marker, (System.nanoTime() - awaiting) / 1e9);
                    return Optional.of(state);
                }
            }
            if (System.nanoTime() > deadline) {
                throw StepFailure.timedOut("no final state for drain marker " + marker + " in the bucket after "
                        + config.finalStateTimeout() + " (FERRY_FOLLOW_APPLY_FINAL_STATE_TIMEOUT): capture stores it"
                        + " once it stored the marker, and the cutover's drain says whether it did; run the drain again,"
                        + " then run apply again to prove");
            }
            if (stop.await(FINAL_STATE_POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.empty();
            }
        }
    }

    /**
     * Waits for the drain's commit of the cutover at {@code marker} ({@link CutoverCommit}): the old writers stay
     * frozen from then on. Without it the old cluster may be unfrozen (a drain that failed, timed out or was cancelled
     * after its marker), and a new cluster scaled up beside it would miss every write it takes: exit 5 after
     * FERRY_FOLLOW_APPLY_FINAL_STATE_TIMEOUT. False when SIGTERM came meanwhile.
     */
    private boolean awaitCommit(S3Transfer s3, FollowObjects objects, String marker, CountDownLatch stop)
            throws InterruptedException {
        long awaiting = System.nanoTime();
        long deadline = awaiting + config.finalStateTimeout().toNanos();
        String key = objects.key(FollowObjects.CUTOVER_COMMITTED);
        while (true) {
            Optional<CutoverCommit> commit = FollowStatus.read(s3, key, CutoverCommit.class);
            if (commit.isPresent() && marker.equals(commit.get().marker())) {
                LOG.infof(
                        "phase=commit marker=%s committed_at=%s waited_seconds=%.2f",
                        marker, commit.get().at(), (System.nanoTime() - awaiting) / 1e9);
                return true;
            }
            if (System.nanoTime() > deadline) {
                throw StepFailure.timedOut("the cutover at drain marker " + marker + " was not committed on the old"
                        + " cluster within " + config.finalStateTimeout() + " (FERRY_FOLLOW_APPLY_FINAL_STATE_TIMEOUT):"
                        + " no " + s3.layout().uri(key) + ". The drain writes it last, once capture stored the"
                        + " marker and the source took no write after it; without it the old cluster may run again,"
                        + " so the new one must not scale up. Run the cutover's drain again while the old writers are"
                        + " frozen, then apply again");
            }
            if (stop.await(FINAL_STATE_POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                return false;
            }
        }
    }

    /** Proves the target against the final state: exit 4 naming each difference (the first few in the message). */
    private StepSummary prove(PgConnector connector, FinalState expected, StepSummary drained) throws Exception {
        long started = System.nanoTime();
        List<String> differences;
        try (Connection connection = connector.open()) {
            differences = FinalStateProof.differences(connection, expected, connector::open);
        }
        differences.stream()
                .limit(LISTED_DIFFERENCES)
                .forEach(difference -> LOG.errorf("phase=prove difference=\"%s\"", difference));
        LOG.infof(
                "phase=prove verdict=%s marker=%s tables=%d tables_counted=%d touched_rows=%d sequences=%d"
                        + " differences=%d seconds=%.1f",
                differences.isEmpty() ? "passed" : "failed",
                expected.marker(),
                expected.tables().size(),
                expected.countedTables(),
                expected.touchedRows(),
                expected.sequences().size(),
                differences.size(),
                (System.nanoTime() - started) / 1e9);
        StepResults results = new StepResults(ferry.effectiveResultsDir());
        results.write("proof", differences.isEmpty() ? "passed" : "failed");
        if (!differences.isEmpty()) {
            throw StepFailure.verificationFailed("the target does not match the frozen source at drain marker "
                    + expected.marker() + ": " + differences.size() + " difference(s), first: "
                    + String.join("; ", differences.subList(0, Math.min(3, differences.size())))
                    + "; do not scale up: run the full validate to see all of it");
        }
        return drained.with("proof", "passed").with("touched_rows", expected.touchedRows());
    }

    /** One run of apply: where it is in the bucket's listing, what it applied, when it ends. */
    private final class Follow {
        private final BucketSegmentStore store;
        private final Progress progress;
        private final EndedFollow ended;
        private final Connection connection;
        private final Optional<LogSequenceNumber> startLsn;
        private final Duration poll;
        private final CountDownLatch stop;
        /** The label of the drain marker this run ended at, null while it has not. */
        String drainedAt;

        Follow(
                BucketSegmentStore store,
                Progress progress,
                EndedFollow ended,
                Connection connection,
                Optional<LogSequenceNumber> startLsn,
                Duration poll,
                CountDownLatch stop) {
            this.store = store;
            this.progress = progress;
            this.ended = ended;
            this.connection = connection;
            this.startLsn = startLsn;
            this.poll = poll;
            this.stop = stop;
        }

        StepSummary run() throws Exception {
            Optional<LogSequenceNumber> start = startLsn;
            while (start.isEmpty()) {
                List<String> names = store.names();
                if (!names.isEmpty()) {
                    start = Optional.of(read(names.get(0)).previousEnd());
                } else if (endedOrWait()) {
                    return stopped(null);
                }
            }
            try (SegmentApplier applier = SegmentApplier.open(connection, config.origin(), start.get())) {
                // Names sort as LSNs do; everything listed up to the cursor has been seen in this run.
                String cursor = "";
                while (true) {
                    List<String> pending = store.namesAfter(cursor);
                    boolean applied = false;
                    for (int i = 0; i < pending.size(); i++) {
                        if (stop.getCount() == 0) {
                            return stopped(applier);
                        }
                        String name = pending.get(i);
                        cursor = name;
                        // What the origin already holds needs no reading, except the last one: it may be the drain.
                        if (SegmentNames.end(name).compareTo(applier.progress()) < 0) {
                            continue;
                        }
                        Segment segment = read(name);
                        if (!segment.name().equals(name)) {
                            LOG.warnf(
                                    "phase=apply object=%s holds=%s warning=\"a segment stored under a second name:"
                                            + " the replication origin decides whether it applies\"",
                                    name, segment.name());
                        }
                        long applying = System.nanoTime();
                        SegmentApplier.Outcome outcome = applier.apply(segment);
                        progress.counted(outcome, segment, pending.size() - i - 1, System.nanoTime() - applying);
                        applied |= outcome == SegmentApplier.Outcome.APPLIED;
                        if (segment.marker().isPresent() && segment.end().equals(applier.progress())) {
                            String marker =
                                    DrainMarker.parse(segment.marker().get()).label();
                            LOG.infof(
                                    "phase=drained marker=%s segment=%s applied_seconds_after_stored=%.2f",
                                    marker,
                                    name,
                                    Duration.between(segment.cutAt(), Instant.now())
                                                    .toMillis()
                                            / 1000.0);
                            progress.write(ApplyProgress.State.DRAINED, applier, 0, marker);
                            drainedAt = marker;
                            return drained(applier, marker);
                        }
                    }
                    progress.maybeWrite(applier, 0);
                    if (!applied && endedOrWait()) {
                        return stopped(applier);
                    }
                }
            }
        }

        private Segment read(String name) {
            return SegmentCodec.decode(store.get(name), store + name);
        }

        /** Nothing new in the bucket: exit 3 when the old side ended the follow, else {@link #waitOrStop}. */
        private boolean endedOrWait() throws InterruptedException {
            ended.refuseIfEnded();
            return waitOrStop();
        }

        /** Waits one poll interval; true when SIGTERM came meanwhile. */
        private boolean waitOrStop() throws InterruptedException {
            return stop.await(poll.toMillis(), TimeUnit.MILLISECONDS);
        }

        private StepSummary stopped(SegmentApplier applier) {
            if (applier != null) {
                progress.write(ApplyProgress.State.STOPPED, applier, 0, null);
            }
            return progress.summary(applier, "none");
        }

        private StepSummary drained(SegmentApplier applier, String marker) {
            StepResults results = new StepResults(ferry.effectiveResultsDir());
            results.write("applied-up-to", applier.progress().asString());
            results.write("segments-applied", progress.applied);
            results.write("marker", marker);
            return progress.summary(applier, marker);
        }
    }

    /** Apply's progress object in the bucket and its counters. */
    private static final class Progress {
        private final S3Transfer s3;
        private final FollowObjects objects;
        private final String origin;
        private final Duration every;
        private int applied;
        private int skipped;
        private int pending;
        /** Changes in the segments this run applied, and the time spent applying them (not waiting for them). */
        private long changes;

        private long applyingNanos;
        private String lastSegment;
        private Instant lastCommitAt;
        private long lastWritten;
        private LogSequenceNumber appliedUpTo = LogSequenceNumber.INVALID_LSN;

        Progress(S3Transfer s3, FollowObjects objects, String origin, Duration every) {
            this.s3 = s3;
            this.objects = objects;
            this.origin = origin;
            this.every = every;
        }

        void counted(SegmentApplier.Outcome outcome, Segment segment, int waiting, long nanos) {
            pending = waiting;
            if (outcome == SegmentApplier.Outcome.APPLIED) {
                applied++;
                changes += segment.changes();
                applyingNanos += nanos;
                lastSegment = segment.name();
                List<CommittedTransaction> transactions = segment.transactions();
                lastCommitAt = transactions.get(transactions.size() - 1).committedAt();
            } else {
                skipped++;
            }
        }

        /** Writes the progress object when the interval has passed since the last one (the first time at once). */
        void maybeWrite(SegmentApplier applier, int waiting) {
            pending = waiting;
            if (lastWritten == 0 || System.nanoTime() - lastWritten >= every.toNanos()) {
                write(ApplyProgress.State.FOLLOWING, applier, waiting, null);
            }
        }

        void write(ApplyProgress.State state, SegmentApplier applier, int waiting, String marker) {
            appliedUpTo = applier.progress();
            lastWritten = System.nanoTime();
            double lag = waiting > 0 && lastCommitAt != null
                    ? Duration.between(lastCommitAt, Instant.now()).toMillis() / 1000.0
                    : 0;
            put(new ApplyProgress(
                    ApplyProgress.FORMAT,
                    origin,
                    Instant.now(),
                    state,
                    appliedUpTo.asString(),
                    lastSegment,
                    lastCommitAt,
                    lag,
                    waiting,
                    applied,
                    skipped,
                    marker,
                    null));
            LOG.infof(
                    "phase=progress state=%s applied_up_to=%s pending_segments=%d applied=%d skipped=%d lag_seconds=%.1f",
                    state.name().toLowerCase(Locale.ROOT), appliedUpTo.asString(), waiting, applied, skipped, lag);
        }

        void failed(String message) {
            put(new ApplyProgress(
                    ApplyProgress.FORMAT,
                    origin,
                    Instant.now(),
                    ApplyProgress.State.FAILED,
                    appliedUpTo.asString(),
                    lastSegment,
                    lastCommitAt,
                    0,
                    pending,
                    applied,
                    skipped,
                    null,
                    message));
        }

        private void put(ApplyProgress status) {
            try {
                FollowStatus.write(s3, objects.applyProgressKey(), status);
            } catch (RuntimeException e) {
                LOG.warnf("phase=progress warning=\"progress not written: %s\"", e.getMessage());
            }
        }

        StepSummary summary(SegmentApplier applier, String marker) {
            return StepSummary.of()
                    .with("applied", applied)
                    .with("skipped", skipped)
                    .with("changes", changes)
                    // Changes per second of applying, the waits for capture left out: what apply can keep up with.
                    .with(
                            "apply_rate",
                            applyingNanos == 0
                                    ? "none"
                                    : String.format(Locale.ROOT, "%.0f/s", changes / (applyingNanos / 1e9)))
                    .with(
                            "applied_up_to",
                            applier == null ? "none" : applier.progress().asString())
                    .with("marker", marker);
        }
    }
}
