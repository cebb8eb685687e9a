package dev.ferry.follow;

import java.util.regex.Pattern;
import org.postgresql.replication.LogSequenceNumber;

/** A segment's name is its end LSN in 16 hex digits, so names sort as LSNs do; this reads it back. */
public final class SegmentNames {

    static final Pattern NAME = Pattern.compile("[0-9A-F]{16}" + Pattern.quote(Segment.SUFFIX));

    private SegmentNames() {}

    public static boolean isSegment(String name) {
        return NAME.matcher(name).matches();
    }

    public static LogSequenceNumber end(String name) {
        if (!isSegment(name)) {
            throw new IllegalArgumentException(name + " is no segment name");
        }
        return LogSequenceNumber.valueOf(Long.parseUnsignedLong(name.substring(0, 16), 16));
    }
}
