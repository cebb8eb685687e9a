package dev.ferry.alembicrun;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads where alembic stands in every schema that has an {@code alembic_version} table (public, and
 * each tenant schema in the multi-tenant layout). Several heads in one table are joined with '+'.
 */
public final class AlembicVersions {

    private AlembicVersions() {}

    public static Map<String, String> read(Connection connection) throws SQLException {
        List<String> schemas = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT table_schema FROM information_schema.tables
                 WHERE table_name = 'alembic_version' AND table_type = 'BASE TABLE' ORDER BY table_schema""");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                schemas.add(rows.getString(1));
            }
        }
        Map<String, String> versions = new TreeMap<>();
        for (String schema : schemas) {
            String quoted = "\"" + schema.replace("\"", "\"\"") + "\"";
            List<String> heads = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(
                            "SELECT version_num FROM " + quoted + ".alembic_version ORDER BY version_num");
                    ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    heads.add(rows.getString(1));
                }
            }
            versions.put(schema, heads.isEmpty() ? "(empty)" : String.join("+", heads));
        }
        return versions;
    }

    /** Onyx's multi-tenant layout keeps each tenant in a schema named tenant_…. */
    public static boolean hasTenantSchemas(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT EXISTS (SELECT 1 FROM information_schema.schemata WHERE schema_name LIKE 'tenant\\_%')");
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getBoolean(1);
        }
    }
}
