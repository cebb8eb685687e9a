package dev.ferry.follow;

import java.time.Instant;
import java.util.List;
import org.postgresql.replication.LogSequenceNumber;

/**
 * A transaction the source committed, with its changes to published tables in commit order. {@code end} is the
 * LSN just past its commit record: what the slot may confirm once the transaction is stored, and what the target's
 * replication origin records once it is applied.
 */
public record CommittedTransaction(
        long xid, LogSequenceNumber commit, LogSequenceNumber end, Instant committedAt, List<Change> changes) {

    public CommittedTransaction {
        changes = List.copyOf(changes);
    }
}
