package dev.ferry.testing.pg;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An independent row-by-row compare, with no Ferry code involved: every user table's rows as PostgreSQL prints them
 * ({@code t::text}), in one order.
 */
public final class TableRows {

    private TableRows() {}

    /** Every base table outside the catalogs, as {@code schema.table} quoted where needed, sorted. */
    public static List<String> userTables(PostgresServer server, String database) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection c = server.connect(database);
                Statement sql = c.createStatement();
                ResultSet rs = sql.executeQuery("SELECT format('%I.%I', table_schema, table_name)"
                        + " FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
                        + " AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }

    /**
     * The user tables of {@code source}'s {@code database} whose rows on {@code target} are not the same, row by row
     * (none when the target equals the source).
     */
    public static List<String> differing(PostgresServer source, PostgresServer target, String database)
            throws SQLException {
        List<String> differing = new ArrayList<>();
        for (String table : userTables(source, database)) {
            if (!rows(target, database, table).equals(rows(source, database, table))) {
                differing.add(table);
            }
        }
        return differing;
    }

    /** Every row of {@code table} as PostgreSQL prints it, sorted. */
    public static List<String> rows(PostgresServer server, String database, String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = server.connect(database);
                Statement sql = c.createStatement();
                ResultSet rs = sql.executeQuery("SELECT t::text FROM " + table + " t ORDER BY 1")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    /** Every table's replica identity setting ({@code d}, {@code n}, {@code f}, {@code i}) by {@code schema.table}. */
    public static Map<String, String> replicaIdentities(Connection c) throws SQLException {
        Map<String, String> identities = new TreeMap<>();
        try (Statement sql = c.createStatement();
                ResultSet rs = sql.executeQuery("SELECT n.nspname || '.' || c.relname, c.relreplident::text"
                        + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')")) {
            while (rs.next()) {
                identities.put(rs.getString(1), rs.getString(2));
            }
        }
        return identities;
    }
}
