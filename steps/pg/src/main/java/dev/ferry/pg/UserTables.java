package dev.ferry.pg;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a database already holds user data, judged by the same rules as {@link InventoryReader}
 * (system schemas and extension members do not count), without counting rows: restore asks this
 * before it writes, so it must stay cheap on a large database.
 */
public final class UserTables {

    private UserTables() {}

    /** How many user tables (plain or partitioned) the database holds. */
    public static long count(Connection connection) throws SQLException {
        try (PreparedStatement sql = connection.prepareStatement("SELECT count(*) " + FROM_USER_TABLES);
                ResultSet rs = sql.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The first {@code limit} user tables as {@code schema.name}, for a message. */
    public static List<String> names(Connection connection, int limit) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement sql = connection.prepareStatement(
                "SELECT n.nspname || '.' || c.relname " + FROM_USER_TABLES + " ORDER BY 1 LIMIT ?")) {
            sql.setInt(1, limit);
            try (ResultSet rs = sql.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    /** Large objects count as data too: a restore would collide with them just as with tables. */
    public static long largeObjects(Connection connection) throws SQLException {
        try (PreparedStatement sql = connection.prepareStatement("SELECT count(*) FROM pg_largeobject_metadata");
                ResultSet rs = sql.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static final String FROM_USER_TABLES = """
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND %s
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                              AND d.deptype = 'e')""".formatted(InventoryReader.USER_SCHEMA);
}
