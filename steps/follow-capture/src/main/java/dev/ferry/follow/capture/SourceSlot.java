package dev.ferry.follow.capture;

import dev.ferry.core.StepFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.postgresql.replication.LogSequenceNumber;

/**
 * The replication slot as the source's catalog shows it, and the refusals it can call for before capture streams:
 * no slot, a slot of another plugin or database, one the WAL cap invalidated, one another connection still holds.
 */
record SourceSlot(
        String name,
        String plugin,
        String database,
        boolean active,
        LogSequenceNumber confirmedFlush,
        String walStatus) {

    static Optional<SourceSlot> read(Connection source, String slot) throws SQLException {
        try (PreparedStatement sql = source.prepareStatement("SELECT plugin, database, active,"
                + " confirmed_flush_lsn::text, wal_status FROM pg_replication_slots"
                + " WHERE slot_name = ? AND slot_type = 'logical'")) {
            sql.setString(1, slot);
            try (ResultSet rs = sql.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String confirmed = rs.getString(4);
                return Optional.of(new SourceSlot(
                        slot,
                        rs.getString(1),
                        rs.getString(2),
                        rs.getBoolean(3),
                        confirmed == null ? LogSequenceNumber.INVALID_LSN : LogSequenceNumber.valueOf(confirmed),
                        rs.getString(5)));
            }
        }
    }

    /**
     * The slot, once no other connection streams it: a capture killed with its pod leaves a WAL sender that ends only
     * when the server notices the lost connection. Exit 3 for a slot that cannot be followed, exit 5 past
     * {@code patience}.
     */
    static SourceSlot awaitUsable(Connection source, String slot, String database, Duration patience)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            SourceSlot found = read(source, slot)
                    .orElseThrow(() -> StepFailure.refused("replication slot \"" + slot + "\" does not exist on the"
                            + " source: capture streams the slot a follow's base copy creates with its snapshot"
                            + " exported, and never creates one (a slot without a base copy would follow nothing);"
                            + " start the follow from a base copy, or set FERRY_FOLLOW_CAPTURE_SLOT to its slot"));
            found.check(database);
            if (!found.active()) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                throw StepFailure.timedOut("replication slot \"" + slot + "\" is still streamed by another connection"
                        + " after " + patience + " (FERRY_FOLLOW_CAPTURE_SLOT_BUSY_TIMEOUT): is another capture of"
                        + " this follow running? pg_stat_replication names it");
            }
            Thread.sleep(500);
        }
    }

    private void check(String expectedDatabase) {
        if (!"pgoutput".equals(plugin)) {
            throw StepFailure.refused("replication slot \"" + name + "\" decodes with " + plugin + ", not pgoutput:"
                    + " it is not a follow's slot; set FERRY_FOLLOW_CAPTURE_SLOT to the slot the base copy created");
        }
        if (!expectedDatabase.equals(database)) {
            throw StepFailure.refused("replication slot \"" + name + "\" decodes database \"" + database
                    + "\", not POSTGRES_DB \"" + expectedDatabase + "\"");
        }
        if ("lost".equals(walStatus)) {
            throw StepFailure.refused("replication slot \"" + name + "\" was invalidated (wal_status lost): it lagged"
                    + " further than max_slot_wal_keep_size and the source removed WAL it still needed, so the changes"
                    + " after " + confirmedFlush.asString() + " cannot be read any more; drop the slot and start the"
                    + " follow again from a new base copy");
        }
    }
}
