package dev.ferry.follow.apply;

import dev.ferry.core.StepFailure;
import dev.ferry.follow.bucket.CaptureHeartbeat;
import dev.ferry.follow.bucket.FollowObjects;
import dev.ferry.follow.bucket.FollowStatus;
import dev.ferry.s3.S3Transfer;
import java.util.Optional;

/**
 * Capture's heartbeat as apply reads it while the bucket holds nothing new: once follow-abandon has ended the follow on
 * the old cluster no segment will ever come, so apply stops with the reason instead of waiting for ever.
 */
final class EndedFollow {

    private final S3Transfer store;
    private final FollowObjects objects;

    EndedFollow(S3Transfer store, FollowObjects objects) {
        this.store = store;
        this.objects = objects;
    }

    /** Exit 3 when capture's heartbeat says the follow was abandoned, or finished before apply reached its marker. */
    void refuseIfEnded() {
        Optional<CaptureHeartbeat> heartbeat = FollowStatus.read(store, objects.heartbeatKey(), CaptureHeartbeat.class);
        if (heartbeat.isEmpty() || !heartbeat.get().state().ended()) {
            return;
        }
        CaptureHeartbeat ended = heartbeat.get();
        String position = ended.storedUpTo() == null ? "" : " after " + ended.storedUpTo();
        if (ended.state() == CaptureHeartbeat.State.ABANDONED) {
            throw StepFailure.refused("the follow was abandoned on the old cluster (capture's heartbeat "
                    + store.layout().uri(objects.heartbeatKey()) + " says ABANDONED since " + ended.at()
                    + "): its slot is dropped and no segment will come" + position + "; this target cannot be"
                    + " finished by this follow: restore a new base copy and start a new follow");
        }
        throw StepFailure.refused("the follow was finished on the old cluster (capture's heartbeat says FINISHED since "
                + ended.at() + ") before this apply reached its drain marker: no segment will come" + position
                + "; this target is not the cutover's");
    }
}
