package dev.ferry.pg;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Digests of what tables and large objects hold, computed by the server the same way on the source
 * (inside the dump's snapshot) and on the target, so that equal data gives equal digests from PostgreSQL
 * 14 to 17 and one changed byte gives a different one.
 *
 * <ul>
 * <li>A row is hashed from its text form, {@code ROW(c1, c2, …)::text}, over its stored columns in column order
 * ({@link RowHash}: two 64-bit {@code hashtextextended} values, or the md5 of older dumps). Generated columns are
 * left out: the target computes them from the columns compared (its text search dictionaries may stem a word
 * differently, which is not data lost).</li>
 * <li>A table's digest is the md5 of the exact sums of its rows' 64-bit hashes: order-independent, so physical
 * order, which every restore changes, does not matter, and a table without a key (chat_message has only UNIQUE
 * (id)) needs no ORDER BY, and collation does not enter.</li>
 * <li>Text forms are pinned per session ({@link #SESSION}): UTC for timestamptz, ISO dates, Postgres
 * intervals, shortest exact floats, hex bytea, C money. jsonb, numeric and tsvector print canonically.</li>
 * <li>A sample ({@link dev.ferry.core.manifest.Inventory.Sample}): the same digest over the rows whose key's
 * md5 starts with {@code 0}, one in {@value #SAMPLE_ONE_IN}. Deciding costs the md5 of a key, not of a row, so
 * validate's {@code sample} reads the table as a count does and formats and hashes only the rows it samples.</li>
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

    /** One row in this many is in a table's sample: those whose key's md5 starts with one given hex digit. */
    public static final int SAMPLE_ONE_IN = 16;

    /** The large objects' digest: the md5 of each object's bytes is its row (it has no text form to print). */
    private static final String LARGE_OBJECT_SUMS = RowHash.MD5.sums("");

    private ContentDigests() {}

    /** Pins the session's text forms; run it before the session's first digest. */
    static void prepare(Connection session) throws SQLException {
        try (Statement sql = session.createStatement()) {
            for (String setting : SESSION) {
                sql.execute(setting);
            }
        }
    }

    /**
     * The query giving a table's exact row count, its content digest (or null) and its sample's digest (or null),
     * in one pass over the table.
     */
    static String tableQuery(
            Connection session,
            String schema,
            String table,
            boolean full,
            Optional<List<String>> sampleKey,
            RowHash hash)
            throws SQLException {
        String row = hash.rowValue(rowText(storedColumns(session, schema, table)));
        String all = hash.sums("");
        String from = " FROM " + PgIdentifiers.qualified(schema, table) + " t) rows";
        if (sampleKey.isEmpty()) {
            return "SELECT count(*), " + all + ", NULL FROM (SELECT " + row + " AS h" + from;
        }
        // Which rows are sampled is the md5 of their key on every scheme: the same rows on both ends, always.
        String sampled = "left(md5(" + rowText(sampleKey.get()) + "), 1) = '0'";
        if (full) {
            return "SELECT count(*), " + all + ", " + hash.sums(" FILTER (WHERE s)") + " FROM (SELECT " + row
                    + " AS h, " + sampled + " AS s" + from;
        }
        // Only the sampled rows are formatted and hashed: the rest cost what counting them costs.
        return "SELECT count(*), NULL, " + all + " FROM (SELECT CASE WHEN " + sampled + " THEN " + row + " END AS h"
                + from;
    }

    /**
     * The columns a table's sample is chosen by: its primary key, else its first unique index without an
     * expression or a predicate (Onyx's chat_message has only UNIQUE (id)), else every stored column. Any
     * columns give the same sample on both ends; a key spreads it evenly.
     */
    static List<String> sampleKey(Connection session, String schema, String table) throws SQLException {
        try (PreparedStatement sql = session.prepareStatement("""
                SELECT array(SELECT a.attname FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                             WHERE k.ord <= i.indnkeyatts ORDER BY k.ord)
                FROM pg_index i
                WHERE i.indrelid = ?::regclass AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
                ORDER BY i.indisprimary DESC, i.indnkeyatts, i.indexrelid LIMIT 1""")) {
            sql.setString(1, PgIdentifiers.qualified(schema, table));
            try (ResultSet rs = sql.executeQuery()) {
                if (rs.next()) {
                    return List.of((String[]) rs.getArray(1).getArray());
                }
            }
        }
        return storedColumns(session, schema, table);
    }

    /** {@code ROW(t."a", t."b")::text}: the text form of these columns of the table aliased {@code t}. */
    static String rowText(List<String> columns) {
        return "ROW(" + columns.stream().map(c -> "t." + PgIdentifiers.quote(c)).collect(Collectors.joining(", "))
                + ")::text";
    }

    /** The large objects' digest (the count is the inventory's own). */
    static String largeObjects(Connection session) throws SQLException {
        try (Statement sql = session.createStatement();
                ResultSet rs = sql.executeQuery("SELECT " + LARGE_OBJECT_SUMS + " FROM (SELECT md5(m.oid::text || ':'"
                        + " || pg_get_userbyid(m.lomowner) || ':' || coalesce(m.lomacl::text, '') || ':'"
                        + " || md5(lo_get(m.oid))) AS h FROM pg_largeobject_metadata m) objects")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static List<String> storedColumns(Connection session, String schema, String table) throws SQLException {
        // attgenerated exists from PostgreSQL 12; older servers have no generated columns to leave out.
        boolean generatedColumns = session.getMetaData().getDatabaseMajorVersion() >= 12;
        List<String> columns = new ArrayList<>();
        try (PreparedStatement sql = session.prepareStatement("SELECT a.attname FROM pg_attribute a"
                + " WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped"
                + (generatedColumns ? " AND a.attgenerated = ''" : "") + " ORDER BY a.attnum")) {
            sql.setString(1, PgIdentifiers.qualified(schema, table));
            try (ResultSet rs = sql.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        return columns;
    }
}
