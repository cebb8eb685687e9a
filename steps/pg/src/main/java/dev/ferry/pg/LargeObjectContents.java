package dev.ferry.pg;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/**
 * Large objects one by one: each one's owner and the md5 of its bytes, its bytes, and writing one under its own oid.
 * Logical decoding cannot carry them ({@code pg_largeobject} cannot be published), so a follow's cutover compares
 * the two ends object by object and carries the ones that differ through the bucket.
 */
public final class LargeObjectContents {

    /** A large object's owner (a role name) and the md5 of its bytes. */
    public record Facts(String owner, String md5) {}

    private LargeObjectContents() {}

    /** Whether {@code session} sees any large object at all. */
    public static boolean any(Connection session) throws SQLException {
        try (Statement sql = session.createStatement();
                ResultSet rs = sql.executeQuery("SELECT EXISTS (SELECT 1 FROM pg_largeobject_metadata)")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Every large object by oid. */
    public static Map<Long, Facts> read(Connection session) throws SQLException {
        Map<Long, Facts> objects = new TreeMap<>();
        try (Statement sql = session.createStatement();
                ResultSet rs = sql.executeQuery("SELECT m.oid::bigint, pg_get_userbyid(m.lomowner), md5(lo_get(m.oid))"
                        + " FROM pg_largeobject_metadata m")) {
            while (rs.next()) {
                objects.put(rs.getLong(1), new Facts(rs.getString(2), rs.getString(3)));
            }
        }
        return objects;
    }

    public static byte[] bytes(Connection session, long oid) throws SQLException {
        try (PreparedStatement sql = session.prepareStatement("SELECT lo_get(?::oid)")) {
            sql.setLong(1, oid);
            try (ResultSet rs = sql.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    /**
     * Makes large object {@code oid} hold {@code bytes} (replacing one that exists), owned by {@code owner} when that
     * role exists here (a restore without owners has none of the source's roles).
     */
    public static void write(Connection session, long oid, String owner, byte[] bytes) throws SQLException {
        remove(session, oid);
        try (PreparedStatement sql = session.prepareStatement("SELECT lo_from_bytea(?::oid, ?)")) {
            sql.setLong(1, oid);
            sql.setBytes(2, bytes);
            sql.execute();
        }
        try (PreparedStatement exists = session.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            exists.setString(1, owner);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
            }
        }
        try (Statement sql = session.createStatement()) {
            sql.execute("ALTER LARGE OBJECT " + oid + " OWNER TO " + PgIdentifiers.quote(owner));
        }
    }

    /** Removes large object {@code oid} when it exists. */
    public static void remove(Connection session, long oid) throws SQLException {
        try (PreparedStatement sql = session.prepareStatement(
                "SELECT lo_unlink(m.oid) FROM pg_largeobject_metadata m WHERE m.oid = ?::oid")) {
            sql.setLong(1, oid);
            sql.execute();
        }
    }
}
