package dev.ferry.pg;

import dev.ferry.core.manifest.Inventory.SchemaObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The schema objects a failed or partial pg_restore can lose while every count stays equal: indexes,
 * constraints and triggers of user tables, each by name with the md5 of its definition as the server prints
 * it ({@code pg_get_indexdef}, {@code pg_get_constraintdef}, {@code pg_get_triggerdef}), read with an empty
 * {@code search_path} so that every name in a definition is schema-qualified the same way on both ends.
 * Objects of extensions are left out: CREATE EXTENSION makes them.
 */
final class SchemaObjects {

    private static final String USER_RELATION = InventoryReader.USER_SCHEMA + """
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                             AND d.objid = c.oid AND d.deptype = 'e')""";

    private static final List<String> QUERIES =
            List.of("""
            SELECT 'index', n.nspname || '.' || ic.relname, md5(pg_get_indexdef(i.indexrelid))
            FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE %s""".formatted(USER_RELATION), """
            SELECT 'constraint', n.nspname || '.' || c.relname || '.' || k.conname, md5(pg_get_constraintdef(k.oid))
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE %s""".formatted(USER_RELATION), """
            SELECT 'trigger', n.nspname || '.' || c.relname || '.' || t.tgname, md5(pg_get_triggerdef(t.oid))
            FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE NOT t.tgisinternal AND %s""".formatted(USER_RELATION));

    private SchemaObjects() {}

    static List<SchemaObject> read(Connection connection) throws SQLException {
        List<SchemaObject> objects = new ArrayList<>();
        try (Statement sql = connection.createStatement()) {
            sql.execute("SET search_path = ''");
            try {
                for (String query : QUERIES) {
                    try (ResultSet rs = sql.executeQuery(query)) {
                        while (rs.next()) {
                            objects.add(new SchemaObject(rs.getString(1), rs.getString(2), rs.getString(3)));
                        }
                    }
                }
            } finally {
                sql.execute("RESET search_path");
            }
        }
        objects.sort(null);
        return objects;
    }
}
