package dev.ferry.restore;

import dev.ferry.testing.pg.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A database's schema as text from the catalogs, for comparing two restores of one dump on one server:
 * every relation with its kind, owner and grants, column defaults and generated expressions, every
 * index, constraint and trigger definition, function, and comment. (pg_dump --schema-only would do, but
 * Debian's pg_dump 15 refuses a newer server.)
 */
final class SchemaText {

    private static final List<String> QUERIES = List.of(
            """
            SELECT n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' owner=' || pg_get_userbyid(c.relowner)
                   || ' acl=' || coalesce(c.relacl::text, '')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')""",
            """
            SELECT n.nspname || ' owner=' || pg_get_userbyid(n.nspowner) || ' acl=' || coalesce(n.nspacl::text, '')
            FROM pg_namespace n WHERE n.nspname NOT LIKE 'pg_%' AND n.nspname <> 'information_schema'""",
            """
            SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                   || ' notnull=' || a.attnotnull || ' generated=' || a.attgenerated::text
                   || ' default=' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attnum > 0 AND NOT a.attisdropped AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND c.relkind IN ('r', 'p', 'v', 'm')""",
            "SELECT schemaname || ' ' || indexdef FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog')",
            """
            SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
            FROM pg_constraint WHERE connamespace NOT IN ('pg_catalog'::regnamespace)""",
            "SELECT tgrelid::regclass::text || ' ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal",
            """
            SELECT p.oid::regprocedure::text || ' owner=' || pg_get_userbyid(p.proowner)
            FROM pg_proc p WHERE p.pronamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)""",
            """
            SELECT classoid::regclass::text || ' ' || objsubid || ' ' || description FROM pg_description
            WHERE objoid >= 16384""",
            "SELECT oid || ' owner=' || pg_get_userbyid(lomowner) FROM pg_largeobject_metadata");

    private SchemaText() {}

    static String of(PostgresServer server, String database) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Connection connection = server.connect(database);
                Statement sql = connection.createStatement()) {
            for (String query : QUERIES) {
                try (ResultSet rs = sql.executeQuery(query)) {
                    while (rs.next()) {
                        lines.add(rs.getString(1));
                    }
                }
            }
        }
        lines.sort(null);
        return String.join("\n", lines);
    }
}
