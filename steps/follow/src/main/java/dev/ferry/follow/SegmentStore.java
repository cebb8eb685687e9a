package dev.ferry.follow;

import java.util.List;
import java.util.Optional;
import org.postgresql.replication.LogSequenceNumber;

/**
 * Where segments travel: a directory in this slice, the bucket later. {@link #put} returns only once the segment
 * survives a crash, since capture confirms the slot's flush position right after it.
 */
public interface SegmentStore {

    /** Stores {@code bytes} under {@code name} durably; storing the same name again replaces it with equal bytes. */
    void put(String name, byte[] bytes);

    /** Every stored segment's name, in LSN order. */
    List<String> names();

    /**
     * The stored segments' names that sort after {@code after} (all of them for {@code ""}), in LSN order: what a
     * poll needs, without reading a long follow's whole listing again.
     */
    default List<String> namesAfter(String after) {
        return names().stream().filter(name -> name.compareTo(after) > 0).toList();
    }

    byte[] get(String name);

    /** The end LSN of the newest stored segment: where the next one continues. */
    default Optional<LogSequenceNumber> lastEnd() {
        List<String> names = names();
        return names.isEmpty() ? Optional.empty() : Optional.of(SegmentNames.end(names.get(names.size() - 1)));
    }
}
