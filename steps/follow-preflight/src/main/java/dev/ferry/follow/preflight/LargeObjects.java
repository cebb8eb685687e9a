package dev.ferry.follow.preflight;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Large objects are not decoded ({@code pg_largeobject} cannot be published): a follow carries none of their
 * changes. Onyx stores files as large objects with {@code FILE_STORE_BACKEND=postgres} (and did from 2024-03 to
 * 2025-06). This says how many there are and how many were created or removed since the statistics were reset.
 */
final class LargeObjects {

    static final String CHECK = "large_objects";

    private LargeObjects() {}

    record Activity(long count, long created, long removed) {}

    static Activity read(Connection connection) throws SQLException {
        long count = CatalogReads.number(connection, "SELECT count(*) FROM pg_largeobject_metadata");
        try (PreparedStatement sql = connection.prepareStatement(
                        "SELECT coalesce(n_tup_ins, 0), coalesce(n_tup_del, 0) FROM pg_stat_all_tables"
                                + " WHERE relid = 'pg_catalog.pg_largeobject_metadata'::regclass");
                ResultSet rs = sql.executeQuery()) {
            return rs.next() ? new Activity(count, rs.getLong(1), rs.getLong(2)) : new Activity(count, 0, 0);
        }
    }

    static Finding check(Activity activity) {
        if (activity.count() == 0 && activity.created() == 0 && activity.removed() == 0) {
            return Finding.ok(CHECK, "no large objects, and none created since the statistics were reset");
        }
        return Finding.warning(
                CHECK,
                activity.count() + " large object(s), " + activity.created() + " created and " + activity.removed()
                        + " removed since the statistics were reset: large objects are not decoded, so a follow"
                        + " carries no change to them (Onyx's FILE_STORE_BACKEND=postgres writes them)");
    }
}
