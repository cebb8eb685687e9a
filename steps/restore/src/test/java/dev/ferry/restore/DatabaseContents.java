package dev.ferry.restore;

import dev.ferry.core.manifest.Inventory;
import dev.ferry.pg.PgIdentifiers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a database holds, as digests a test can compare between source and target: every table's
 * rows (text form, sorted, so physical order does not matter) and every large object's bytes.
 */
final class DatabaseContents {

    private DatabaseContents() {}

    /** {@code schema.table → md5 of its sorted rows} for every table of the inventory. */
    static Map<String, String> tableDigests(Connection connection, Inventory inventory) throws SQLException {
        Map<String, String> digests = new LinkedHashMap<>();
        try (Statement sql = connection.createStatement()) {
            // Same text form on both servers, whatever each one's default time zone is.
            sql.execute("SET TimeZone = 'UTC'");
            for (Inventory.TableRows table : inventory.tables()) {
                try (ResultSet rs = sql.executeQuery(
                        "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '')"
                                + " FROM " + PgIdentifiers.qualified(table.schema(), table.name()) + " t")) {
                    rs.next();
                    digests.put(table.qualifiedName(), rs.getString(1));
                }
            }
        }
        return digests;
    }

    /** {@code oid → md5 of its bytes} for every large object. */
    static Map<Long, String> largeObjectDigests(Connection connection) throws SQLException {
        Map<Long, String> digests = new LinkedHashMap<>();
        try (Statement sql = connection.createStatement();
                ResultSet rs =
                        sql.executeQuery("SELECT oid, md5(lo_get(oid)) FROM pg_largeobject_metadata ORDER BY oid")) {
            while (rs.next()) {
                digests.put(rs.getLong(1), rs.getString(2));
            }
        }
        return digests;
    }
}
