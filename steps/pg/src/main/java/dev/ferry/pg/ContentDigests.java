package dev.ferry.pg;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Digests of what tables and large objects hold, computed by the server the same way on the source
 * (inside the dump's snapshot) and on the target, so that equal data gives equal digests from PostgreSQL
 * 14 to 17 and one changed byte gives a different one.
 *
 * <ul>
 * <li>A row's hash is the md5 of its text form, {@code ROW(c1, c2, …)::text}, over its stored columns in
 * column order. Generated columns are left out: the target computes them from the columns compared (its
 * text search dictionaries may stem a word differently, which is not data lost).</li>
 * <li>A table's digest is the md5 of the sums of the two 64-bit halves of its row hashes (exact, numeric):
 * order-independent, so physical order, which every restore changes, does not matter, and a table without
 * a key (chat_message has only UNIQUE (id)) needs no ORDER BY, and collation does not enter.</li>
 * <li>Text forms are pinned per session ({@link #SESSION}): UTC for timestamptz, ISO dates, Postgres
 * intervals, shortest exact floats, hex bytea, C money. jsonb, numeric and tsvector print canonically.</li>
 * <li>Large objects: one such digest over every object's oid, owner, ACL and the md5 of its bytes.</li>
 * </ul>
 */
public final class ContentDigests {

    /** The text forms both ends print values in. */
    static final List<String> SESSION = List.of(
            "SET TimeZone = 'UTC'",
            "SET DateStyle = 'ISO, YMD'",
            "SET IntervalStyle = 'postgres'",
            "SET extra_float_digits = 1",
            "SET bytea_output = 'hex'",
            "SET lc_monetary = 'C'");

    private static final String SUMS = "md5(coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0)"
            + " || ':' || coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0))";

    private ContentDigests() {}

    /** Pins the session's text forms; run it before the session's first digest. */
    static void prepare(Connection session) throws SQLException {
        try (Statement sql = session.createStatement()) {
            for (String setting : SESSION) {
                sql.execute(setting);
            }
        }
    }

    /** The query giving a table's exact row count and its content digest. */
    static String tableQuery(Connection session, String schema, String table) throws SQLException {
        List<String> columns = storedColumns(session, schema, table);
        String row = "ROW(" + String.join(", ", columns) + ")::text";
        return "SELECT count(*), " + SUMS + " FROM (SELECT md5(" + row + ") AS h FROM "
                + PgIdentifiers.qualified(schema, table) + " t) rows";
    }

    /** The large objects' digest (the count is the inventory's own). */
    static String largeObjects(Connection session) throws SQLException {
        try (Statement sql = session.createStatement();
                ResultSet rs = sql.executeQuery("SELECT " + SUMS + " FROM (SELECT md5(m.oid::text || ':'"
                        + " || pg_get_userbyid(m.lomowner) || ':' || coalesce(m.lomacl::text, '') || ':'"
                        + " || md5(lo_get(m.oid))) AS h FROM pg_largeobject_metadata m) objects")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static List<String> storedColumns(Connection session, String schema, String table) throws SQLException {
        // attgenerated exists from PostgreSQL 12; older servers have no generated columns to leave out.
        boolean generatedColumns = session.getMetaData().getDatabaseMajorVersion() >= 12;
        List<String> columns = new ArrayList<>();
        try (PreparedStatement sql = session.prepareStatement("SELECT a.attname FROM pg_attribute a"
                + " WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped"
                + (generatedColumns ? " AND a.attgenerated = ''" : "") + " ORDER BY a.attnum")) {
            sql.setString(1, PgIdentifiers.qualified(schema, table));
            try (ResultSet rs = sql.executeQuery()) {
                while (rs.next()) {
                    columns.add("t." + PgIdentifiers.quote(rs.getString(1)));
                }
            }
        }
        return columns;
    }
}
