package dev.ferry.follow.abandon;

import dev.ferry.core.StepFailure;
import dev.ferry.follow.FollowSlot;
import dev.ferry.follow.bucket.CaptureHeartbeat;
import dev.ferry.follow.bucket.FollowObjects;
import dev.ferry.follow.bucket.FollowStatus;
import dev.ferry.pg.PgConnector;
import dev.ferry.s3.ObjectStore;
import dev.ferry.s3.S3Transfer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The follow's slot guard: watches the slot on the source and capture's heartbeat in the bucket, and says when the
 * follow must be abandoned: the heartbeat has not changed for the stale time (capture lost with its node, its TaskRun
 * never started again, or the bucket unreachable that long) or says ABANDONED, while the slot still exists. Staleness
 * is measured on the guard's own clock from the last time it saw the heartbeat change, so clocks that disagree between
 * pods do not matter. An unreachable source is waited for: nothing can be dropped without it, and a server that is
 * down writes no WAL for the slot to pin.
 */
final class SlotGuard {

    private static final Logger LOG = Logger.getLogger(SlotGuard.class);

    /** What the guard decided. */
    enum Verdict {
        /** The slot is gone: the follow ended (cleaned up after a cutover, or abandoned by someone else). */
        FOLLOW_ENDED,
        /** Capture's heartbeat went stale while the slot exists. */
        STALE,
        /** The heartbeat says the follow is over but the slot is still there (an abandon that did not finish). */
        ENDED_BUT_SLOT_LEFT,
        /** SIGTERM. */
        STOPPED
    }

    private final PgConnector source;
    private final ObjectStore objectStore;
    private final String migrationId;
    private final String slot;
    private final Duration stale;
    private final Duration poll;
    private final CountDownLatch stop;

    SlotGuard(
            PgConnector source,
            ObjectStore objectStore,
            String migrationId,
            String slot,
            Duration stale,
            Duration poll,
            CountDownLatch stop) {
        this.source = source;
        this.objectStore = objectStore;
        this.migrationId = migrationId;
        this.slot = slot;
        this.stale = stale;
        this.poll = poll;
        this.stop = stop;
    }

    Verdict watch() throws InterruptedException {
        long lastAlive = System.nanoTime();
        Instant lastSeen = null;
        try (S3Transfer s3 = objectStore.open()) {
            FollowObjects objects = new FollowObjects(s3.layout(), migrationId);
            LOG.infof(
                    "phase=guard slot=%s heartbeat=%s when_stale=%s poll=%s",
                    slot, s3.layout().uri(objects.heartbeatKey()), stale, poll);
            while (true) {
                // The heartbeat before the slot: an ending writes it after dropping the slot, so a FINISHED read
                // here is always followed by a slot found gone, never mistaken for a slot left behind.
                Optional<CaptureHeartbeat> heartbeat = heartbeat(s3, objects);
                Optional<Boolean> slotThere = slotExists();
                if (slotThere.isPresent() && !slotThere.get()) {
                    return Verdict.FOLLOW_ENDED;
                }
                if (heartbeat.isPresent() && !Objects.equals(heartbeat.get().at(), lastSeen)) {
                    lastSeen = heartbeat.get().at();
                    lastAlive = System.nanoTime();
                }
                Duration quiet = Duration.ofNanos(System.nanoTime() - lastAlive);
                if (slotThere.isPresent()) {
                    if (heartbeat.isPresent() && heartbeat.get().state().ended()) {
                        return Verdict.ENDED_BUT_SLOT_LEFT;
                    }
                    if (quiet.compareTo(stale) > 0) {
                        LOG.warnf(
                                "phase=guard slot=%s stale=true heartbeat_unchanged_for=%ss last_heartbeat=%s",
                                slot, quiet.toSeconds(), lastSeen == null ? "none" : lastSeen);
                        return Verdict.STALE;
                    }
                }
                LOG.debugf("phase=guard slot=%s heartbeat_unchanged_for=%ss", slot, quiet.toSeconds());
                if (stop.await(poll.toMillis(), TimeUnit.MILLISECONDS)) {
                    return Verdict.STOPPED;
                }
            }
        }
    }

    /** Whether the slot exists; empty while the source cannot be reached (logged, and waited for). */
    private Optional<Boolean> slotExists() {
        try (Connection sql = source.open()) {
            return Optional.of(FollowSlot.exists(sql, slot));
        } catch (SQLException | StepFailure e) {
            LOG.warnf(
                    "phase=guard warning=\"source not reachable (%s): waiting for it, the slot can only be dropped"
                            + " through it\"",
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** Capture's heartbeat; empty when there is none yet or the bucket cannot be read (which counts as stale). */
    private static Optional<CaptureHeartbeat> heartbeat(S3Transfer s3, FollowObjects objects) {
        try {
            return FollowStatus.read(s3, objects.heartbeatKey(), CaptureHeartbeat.class);
        } catch (RuntimeException e) {
            LOG.warnf("phase=guard warning=\"heartbeat not readable (%s): counted as not changed\"", e.getMessage());
            return Optional.empty();
        }
    }
}
