package dev.ferry.follow;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.postgresql.replication.LogSequenceNumber;

/**
 * What the source committed after the drain marker, read from the follow's slot without consuming it
 * ({@code pg_logical_slot_peek_binary_changes}). Capture ends at the marker, so nothing carries a later write: the
 * drain may commit the cutover only while there is none, or the new cluster would scale up without it. The slot must
 * be inactive (capture ended) to be read this way.
 */
public final class WritesAfterMarker {

    private WritesAfterMarker() {}

    /**
     * The tables ({@code schema.table}) that transactions committed at or after {@code storedUpTo} (the end of the
     * marker's segment) changed; none when the source took no write since.
     */
    public static List<String> tables(Connection source, String slot, String publication, LogSequenceNumber storedUpTo)
            throws SQLException {
        PgOutputDecoder decoder = new PgOutputDecoder();
        Set<String> tables = new TreeSet<>();
        // The slot may still confirm less than capture stored (its last feedback can be lost with its connection):
        // transactions committed before the marker's end are already in segments.
        boolean after = false;
        try (PreparedStatement sql = source.prepareStatement("SELECT data FROM pg_logical_slot_peek_binary_changes("
                + "?, NULL, NULL, 'proto_version', '1', 'publication_names', ?)")) {
            sql.setString(1, slot);
            sql.setString(2, publication);
            try (ResultSet rs = sql.executeQuery()) {
                while (rs.next()) {
                    PgOutputDecoder.Message message = decoder.decode(ByteBuffer.wrap(rs.getBytes(1)));
                    if (message instanceof PgOutputDecoder.Begin begin) {
                        after = begin.finalLsn().compareTo(storedUpTo) >= 0;
                    } else if (after && message instanceof PgOutputDecoder.Row row) {
                        if (row.change() instanceof Change.Truncate truncate) {
                            truncate.relations()
                                    .forEach(oid ->
                                            tables.add(decoder.relation(oid).qualifiedName()));
                        } else {
                            tables.add(decoder.relation(row.change().relation()).qualifiedName());
                        }
                    }
                }
            }
        }
        return List.copyOf(tables);
    }
}
