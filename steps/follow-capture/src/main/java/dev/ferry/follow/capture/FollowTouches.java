package dev.ferry.follow.capture;

import dev.ferry.follow.Segment;
import dev.ferry.follow.SegmentCodec;
import dev.ferry.follow.SegmentStore;
import dev.ferry.follow.TouchedKeys;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.postgresql.replication.LogSequenceNumber;

/**
 * Every key the follow touched since the base copy's snapshot, which the final state digests on the frozen source:
 * read from the segments already stored when capture starts (a restart after a lost pod), then taken from each segment
 * as capture stores it. At the marker, the keys are in hand: the outage does not wait for the follow's segments to be
 * read again.
 */
final class FollowTouches {

    private static final Logger LOG = Logger.getLogger(FollowTouches.class);

    private final TouchedKeys keys = new TouchedKeys();
    private int segments;
    private volatile LogSequenceNumber firstStart;

    private FollowTouches() {}

    /** The keys of every segment {@code store} holds. */
    static FollowTouches stored(SegmentStore store) {
        long started = System.nanoTime();
        FollowTouches touches = new FollowTouches();
        for (String name : store.names()) {
            touches.add(SegmentCodec.decode(store.get(name), store + name));
        }
        if (touches.segments > 0) {
            LOG.infof(
                    "phase=touched-keys segments=%d rows=%d seconds=%.1f",
                    touches.segments, touches.keys.keys(), (System.nanoTime() - started) / 1e9);
        }
        return touches;
    }

    /** Adds what {@code segment} touched: capture calls it for each segment it stored. */
    void add(Segment segment) {
        if (firstStart == null) {
            firstStart = segment.previousEnd();
        }
        keys.add(segment);
        segments++;
    }

    /** Where the follow's first segment starts (the base copy's consistent point), once one is stored. */
    Optional<LogSequenceNumber> firstStart() {
        return Optional.ofNullable(firstStart);
    }

    TouchedKeys keys() {
        return keys;
    }

    int segments() {
        return segments;
    }
}
