package dev.ferry.follow;

import dev.ferry.core.StepFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Ends a follow on the source with nothing but a connection to it: stops the WAL sender still streaming the slot,
 * drops the slot (so it pins no more WAL), and puts back the replica identities the publication's record names while
 * dropping the publication, in one transaction. Whatever is already gone is left alone, so it is safe to run again.
 */
public final class FollowTeardown {

    private static final Logger LOG = Logger.getLogger(FollowTeardown.class);

    /** SQLSTATE object_in_use: the slot is still held by a WAL sender (one that came back, or had not yet gone). */
    private static final String OBJECT_IN_USE = "55006";

    private static final long POLL_MILLIS = 200;

    private FollowTeardown() {}

    /** What the teardown found and did. */
    public record Outcome(
            boolean slotDropped,
            boolean senderTerminated,
            boolean publicationDropped,
            List<ReplicaIdentities.Changed> restored,
            List<String> goneTables) {

        /** Neither slot nor publication was there: an earlier run removed them (or no follow was ever started). */
        public boolean nothingRemoved() {
            return !slotDropped && !publicationDropped;
        }
    }

    /**
     * Removes {@code slot} and {@code publication} from the source, waiting at most {@code patience} for a WAL sender
     * to let go of the slot (exit 5 past it).
     */
    public static Outcome run(Connection source, String slot, String publication, Duration patience)
            throws SQLException, InterruptedException {
        source.setAutoCommit(true);
        boolean[] terminated = {false};
        boolean slotDropped = dropSlot(source, slot, patience, terminated);
        Optional<List<ReplicaIdentities.Changed>> record = PublicationRecord.read(source, publication);
        if (record.isEmpty()) {
            return new Outcome(slotDropped, terminated[0], false, List.of(), List.of());
        }
        List<ReplicaIdentities.Changed> restore = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        for (ReplicaIdentities.Changed changed : record.get()) {
            if (exists(source, changed.table())) {
                restore.add(changed);
            } else {
                gone.add(changed.table());
            }
        }
        ReplicaIdentities.restoreThen(
                source, restore, List.of("DROP PUBLICATION IF EXISTS " + Identifiers.quote(publication)));
        return new Outcome(slotDropped, terminated[0], true, restore, gone);
    }

    /**
     * Drops the slot once no WAL sender holds it: a sender streaming it is terminated, and one that takes it again
     * (a capture restarted meanwhile) is terminated again, until {@code patience} is spent. False when there is none.
     */
    private static boolean dropSlot(Connection source, String slot, Duration patience, boolean[] terminated)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Optional<Integer> holder;
            try (PreparedStatement sql =
                    source.prepareStatement("SELECT active_pid FROM pg_replication_slots WHERE slot_name = ?")) {
                sql.setString(1, slot);
                try (ResultSet rs = sql.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    int pid = rs.getInt(1);
                    holder = rs.wasNull() ? Optional.empty() : Optional.of(pid);
                }
            }
            if (holder.isPresent()) {
                terminate(source, holder.get());
                terminated[0] = true;
                LOG.infof("phase=teardown slot=%s terminated_wal_sender=%d", slot, holder.get());
            } else {
                try (PreparedStatement sql = source.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                    sql.setString(1, slot);
                    sql.execute();
                    return true;
                } catch (SQLException e) {
                    if (!OBJECT_IN_USE.equals(e.getSQLState())) {
                        throw e;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw StepFailure.timedOut("replication slot \"" + slot + "\" is still streamed by a WAL sender after "
                        + patience + " of terminating it (FERRY_FOLLOW_ABANDON_SENDER_TIMEOUT): a capture that keeps"
                        + " starting again takes it back; stop capture's TaskRun or Job first");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static void terminate(Connection source, int pid) throws SQLException {
        try (PreparedStatement sql = source.prepareStatement("SELECT pg_terminate_backend(?)")) {
            sql.setInt(1, pid);
            sql.execute();
        }
    }

    private static boolean exists(Connection source, String table) throws SQLException {
        try (PreparedStatement sql = source.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            sql.setString(1, table);
            try (ResultSet rs = sql.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
