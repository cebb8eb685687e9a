package dev.ferry.follow.abandon;

import dev.ferry.follow.bucket.CaptureHeartbeat;
import dev.ferry.follow.bucket.FollowObjects;
import dev.ferry.follow.bucket.FollowStatus;
import dev.ferry.s3.ObjectStore;
import dev.ferry.s3.S3Transfer;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Writes capture's heartbeat as the follow's end (ABANDONED or FINISHED), keeping the positions capture last reported,
 * so apply on the new cluster stops with the reason. Best effort, after the source is cleaned up: a bucket that is
 * down never keeps a slot alive, it only leaves apply waiting (the warning says so).
 */
final class EndingHeartbeat {

    private static final Logger LOG = Logger.getLogger(EndingHeartbeat.class);

    private EndingHeartbeat() {}

    /** True when written. */
    static boolean write(ObjectStore objectStore, String migrationId, String slot, CaptureHeartbeat.State state) {
        try (S3Transfer s3 = objectStore.open()) {
            FollowObjects objects = new FollowObjects(s3.layout(), migrationId);
            Optional<CaptureHeartbeat> last = FollowStatus.read(s3, objects.heartbeatKey(), CaptureHeartbeat.class);
            CaptureHeartbeat ending = last.map(h -> h.ending(state, Instant.now()))
                    .orElseGet(() -> new CaptureHeartbeat(
                            CaptureHeartbeat.FORMAT, slot, Instant.now(), state, null, null, 0, 0, null, null));
            FollowStatus.write(s3, objects.heartbeatKey(), ending);
            LOG.infof("phase=heartbeat state=%s object=%s", state, s3.layout().uri(objects.heartbeatKey()));
            return true;
        } catch (RuntimeException e) {
            LOG.warnf(
                    "phase=heartbeat warning=\"heartbeat not written (%s): the source is cleaned up, but apply on the"
                            + " new cluster learns it only from the heartbeat; run follow-abandon again once the bucket"
                            + " answers, or stop apply\"",
                    e.getMessage());
            return false;
        }
    }
}
