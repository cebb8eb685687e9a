package dev.ferry.follow;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.postgresql.replication.LogSequenceNumber;

/**
 * A run of committed transactions, cut at a commit boundary, that can be read and applied on its own: it carries the
 * definition of every relation its changes touch. Segments chain: {@code previousEnd} is the end of the segment
 * before it (the slot's consistent point for the first), {@code end} the end of its last commit, so apply can tell a
 * replay (already applied) from a gap (a segment missing) and never applies out of order.
 */
public record Segment(
        String slot,
        LogSequenceNumber previousEnd,
        LogSequenceNumber end,
        Instant cutAt,
        Optional<String> marker,
        Map<Integer, RelationDef> relations,
        List<CommittedTransaction> transactions) {

    /** The format's name and version, the first field of every segment. */
    public static final String FORMAT = "ferry-follow-segment/1";

    public static final String SUFFIX = ".segment.jsonl.gz";

    public Segment {
        relations = Map.copyOf(new TreeMap<>(relations));
        transactions = List.copyOf(transactions);
    }

    /** Names sort in LSN order: the end LSN as 16 hex digits. */
    public String name() {
        return nameFor(end);
    }

    public static String nameFor(LogSequenceNumber end) {
        return String.format(Locale.ROOT, "%016X", end.asLong()) + SUFFIX;
    }

    public int changes() {
        return transactions.stream().mapToInt(t -> t.changes().size()).sum();
    }
}
