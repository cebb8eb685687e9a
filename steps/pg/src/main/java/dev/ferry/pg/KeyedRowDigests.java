package dev.ferry.pg;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Digests of single rows found by their key, and of one whole table, made exactly as {@link ContentDigests} makes a
 * table's ({@link RowHash#HASH64X2} over the row's text form, the session's text forms pinned): a row's digest is the
 * digest of a table holding only that row, so it compares across PostgreSQL majors as validate's digests do. What a
 * follow's cutover proves: the rows touched since the snapshot, at a cost in proportion to them, not to the table.
 */
public final class KeyedRowDigests {

    /** Keys sent to the server in one statement. */
    static final int KEYS_PER_QUERY = 1000;

    private static final RowHash HASH = RowHash.HASH64X2;

    private KeyedRowDigests() {}

    /** Work done on a session inside {@link #inSnapshot}. */
    public interface SnapshotWork<T> {
        T run(Connection session) throws SQLException;
    }

    /**
     * Runs {@code work} in one read-only repeatable-read transaction (every table read at one moment) with the text
     * forms pinned for digests, and ends it; the session is left in autocommit.
     */
    public static <T> T inSnapshot(Connection session, SnapshotWork<T> work) throws SQLException {
        session.setAutoCommit(false);
        try (Statement sql = session.createStatement()) {
            sql.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        }
        try {
            ContentDigests.prepare(session);
            return work.run(session);
        } finally {
            session.rollback();
            session.setAutoCommit(true);
        }
    }

    /**
     * The digest of each row of {@code schema.table} whose {@code keyColumns} hold one of {@code keys} (values in
     * PostgreSQL's text form, in key order); a key without a row has no entry.
     */
    public static Map<List<String>, String> byKey(
            Connection session, String schema, String table, List<String> keyColumns, Collection<List<String>> keys)
            throws SQLException {
        List<List<String>> distinct = new ArrayList<>(new LinkedHashSet<>(keys));
        Map<List<String>, String> digests = new HashMap<>();
        if (distinct.isEmpty()) {
            return digests;
        }
        String query = keyedQuery(session, schema, table, keyColumns);
        try (PreparedStatement sql = session.prepareStatement(query)) {
            for (int from = 0; from < distinct.size(); from += KEYS_PER_QUERY) {
                List<List<String>> chunk = distinct.subList(from, Math.min(distinct.size(), from + KEYS_PER_QUERY));
                for (int column = 0; column < keyColumns.size(); column++) {
                    int c = column;
                    Array values = session.createArrayOf(
                            "text", chunk.stream().map(k -> k.get(c)).toArray());
                    sql.setArray(column + 1, values);
                }
                try (ResultSet rs = sql.executeQuery()) {
                    while (rs.next()) {
                        List<String> key = new ArrayList<>(keyColumns.size());
                        for (int column = 1; column <= keyColumns.size(); column++) {
                            key.add(rs.getString(column));
                        }
                        digests.put(List.copyOf(key), rs.getString(keyColumns.size() + 1));
                    }
                }
            }
        }
        return digests;
    }

    /** The digest of every row of {@code schema.table}: what validate's {@code full} content digest would be. */
    public static String table(Connection session, String schema, String table) throws SQLException {
        String row = HASH.rowValue(ContentDigests.rowText(ContentDigests.storedColumns(session, schema, table)));
        try (Statement sql = session.createStatement();
                ResultSet rs = sql.executeQuery("SELECT " + HASH.sums("") + " FROM (SELECT " + row + " AS h FROM "
                        + PgIdentifiers.qualified(schema, table) + " t) rows")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * The keys arrive as one text array per key column ({@code unnest} pairs them up), each cast to its column's
     * type so the table's key index finds the rows; the key goes back as it came, so the caller's text finds its row.
     */
    private static String keyedQuery(Connection session, String schema, String table, List<String> keyColumns)
            throws SQLException {
        List<String> types = new ArrayList<>();
        for (String column : keyColumns) {
            types.add(columnType(session, schema, table, column));
        }
        List<String> aliases = new ArrayList<>();
        List<String> joins = new ArrayList<>();
        for (int i = 0; i < keyColumns.size(); i++) {
            aliases.add("k" + i);
            joins.add("t." + PgIdentifiers.quote(keyColumns.get(i)) + " = k.k" + i + "::" + types.get(i));
        }
        String keys = String.join(", ", aliases);
        String arrays = keyColumns.stream().map(c -> "?::text[]").collect(Collectors.joining(", "));
        String row = HASH.rowValue(ContentDigests.rowText(ContentDigests.storedColumns(session, schema, table)));
        return "SELECT " + keys + ", " + HASH.sums("") + " FROM (SELECT "
                + aliases.stream().map(a -> "k." + a).collect(Collectors.joining(", "))
                + ", " + row + " AS h FROM unnest(" + arrays + ") AS k(" + keys + ") JOIN "
                + PgIdentifiers.qualified(schema, table) + " t ON " + String.join(" AND ", joins) + ") rows GROUP BY "
                + keys;
    }

    private static String columnType(Connection session, String schema, String table, String column)
            throws SQLException {
        try (PreparedStatement sql = session.prepareStatement("SELECT format_type(a.atttypid, a.atttypmod)"
                + " FROM pg_attribute a WHERE a.attrelid = ?::regclass AND a.attname = ? AND NOT a.attisdropped")) {
            sql.setString(1, PgIdentifiers.qualified(schema, table));
            sql.setString(2, column);
            try (ResultSet rs = sql.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("column " + column + " of " + schema + "." + table + " does not exist");
                }
                return rs.getString(1);
            }
        }
    }
}
