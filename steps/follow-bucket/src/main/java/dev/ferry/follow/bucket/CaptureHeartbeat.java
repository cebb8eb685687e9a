package dev.ferry.follow.bucket;

import java.time.Instant;

/**
 * What capture last said about itself, in {@code follow/capture-heartbeat.json}, every heartbeat interval and when it
 * ends: how far the slot is confirmed (everything up to {@code storedUpTo} is in the bucket) and how far the source's
 * WAL is ahead of it. A heartbeat older than a few intervals means capture is not running.
 */
public record CaptureHeartbeat(
        String format,
        String slot,
        Instant at,
        State state,
        String storedUpTo,
        String sourceWal,
        long lagBytes,
        int segments,
        String lastSegment,
        String marker) {

    public static final String FORMAT = "ferry-follow-heartbeat/1";

    /** Where capture is. */
    public enum State {
        /** Streaming and storing segments. */
        FOLLOWING,
        /** Stored the segment holding the drain marker and ended. */
        DRAINED,
        /** Stopped from outside (SIGTERM) after storing what it held; a restart goes on from the slot. */
        STOPPED,
        /** Ended with a failure; the step's last log line says which. */
        FAILED,
        /**
         * Written by follow-abandon: the follow was given up on the old cluster and its slot dropped; apply stops, and
         * a follow starts again only from a new base copy.
         */
        ABANDONED,
        /** Written by follow-abandon at the end of a successful cutover: the slot and publication are removed. */
        FINISHED;

        /** The follow is over on the old cluster: nothing will be captured any more, and capture must not say otherwise. */
        public boolean ended() {
            return this == ABANDONED || this == FINISHED;
        }
    }

    /** This heartbeat as the follow's end, at {@code when}: the positions it last reported are kept. */
    public CaptureHeartbeat ending(State ended, Instant when) {
        return new CaptureHeartbeat(
                format, slot, when, ended, storedUpTo, sourceWal, lagBytes, segments, lastSegment, marker);
    }
}
