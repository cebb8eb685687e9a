package dev.ferry.pg;

import dev.ferry.core.manifest.Inventory.SchemaObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The schema objects a failed or partial pg_restore, or a wrong option, can lose while every count stays
 * equal, each by kind and name with the md5 of what defines it:
 * <ul>
 * <li>indexes, constraints and triggers of user tables, by their definitions as the server prints them
 * ({@code pg_get_indexdef}, {@code pg_get_constraintdef}, {@code pg_get_triggerdef});</li>
 * <li>functions and procedures by {@code pg_get_functiondef} (an SQL-standard body, {@code BEGIN ATOMIC}, is the
 * server's print of it: kind {@code sql function}), views and materialized views by {@code pg_get_viewdef};</li>
 * <li>sequences by their type, start, increment, bounds, cache and cycle (their last values are compared on
 * their own);</li>
 * <li>the owners of relations and functions (not of schemas: {@code public} belongs to the bootstrap
 * superuser before PostgreSQL 15 and to {@code pg_database_owner} from 15);</li>
 * <li>the grants on schemas, relations and functions to named roles other than the owner, privileges
 * sorted, grantor left out (the restoring role may grant in the owner's name); PUBLIC and the predefined
 * {@code pg_*} roles are left out, as their defaults differ between majors (PUBLIC's CREATE on {@code public}
 * before 15).</li>
 * </ul>
 * Read with an empty {@code search_path}, so every name is schema-qualified alike on both ends. Objects of
 * extensions are left out: CREATE EXTENSION makes them.
 */
final class SchemaObjects {

    private static final String USER_RELATION = InventoryReader.USER_SCHEMA + """
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                             AND d.objid = c.oid AND d.deptype = 'e')""";

    private static final String USER_FUNCTION = InventoryReader.USER_SCHEMA + """
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                             AND d.objid = p.oid AND d.deptype = 'e')""";

    private static final String RELATIONS = "pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace";
    private static final String FUNCTIONS = "pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace";

    private static final String INDEXES = """
            SELECT 'index', n.nspname || '.' || ic.relname, md5(pg_get_indexdef(i.indexrelid))
            FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE %s""".formatted(USER_RELATION);

    private static final String CONSTRAINTS = """
            SELECT 'constraint', n.nspname || '.' || c.relname || '.' || k.conname, md5(pg_get_constraintdef(k.oid))
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE %s""".formatted(USER_RELATION);

    private static final String TRIGGERS = """
            SELECT 'trigger', n.nspname || '.' || c.relname || '.' || t.tgname, md5(pg_get_triggerdef(t.oid))
            FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE NOT t.tgisinternal AND %s""".formatted(USER_RELATION);

    private static final String RELATION_OWNERS = """
            SELECT 'owner', 'relation ' || n.nspname || '.' || c.relname, md5(pg_get_userbyid(c.relowner))
            FROM %s WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND %s""".formatted(RELATIONS, USER_RELATION);

    private static final String FUNCTION_OWNERS = """
            SELECT 'owner', 'function ' || p.oid::regprocedure::text, md5(pg_get_userbyid(p.proowner))
            FROM %s WHERE %s""".formatted(FUNCTIONS, USER_FUNCTION);

    /** {@code %s}: how to tell an SQL-standard body, which exists from PostgreSQL 14 (prosqlbody). */
    private static final String FUNCTIONS_DEFINED = """
            SELECT CASE WHEN %s THEN 'sql function' ELSE 'function' END, p.oid::regprocedure::text,
                   md5(pg_get_functiondef(p.oid))
            FROM %s WHERE p.prokind <> 'a' AND %s""";

    private static final String VIEWS = """
            SELECT CASE c.relkind WHEN 'v' THEN 'view' ELSE 'materialized view' END, n.nspname || '.' || c.relname,
                   md5(pg_get_viewdef(c.oid))
            FROM %s WHERE c.relkind IN ('v', 'm') AND %s""".formatted(RELATIONS, USER_RELATION);

    private static final String SEQUENCES = """
            SELECT 'sequence', n.nspname || '.' || c.relname,
                   md5(concat_ws(' ', format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax,
                                 s.seqcache, s.seqcycle))
            FROM pg_sequence s JOIN %s ON c.oid = s.seqrelid WHERE %s""".formatted(RELATIONS, USER_RELATION);

    private static final List<String> QUERIES = List.of(
            INDEXES,
            CONSTRAINTS,
            TRIGGERS,
            VIEWS,
            SEQUENCES,
            RELATION_OWNERS,
            FUNCTION_OWNERS,
            grants("'schema ' || n.nspname", "pg_namespace n", "n.nspacl", "n.nspowner", InventoryReader.USER_SCHEMA),
            grants("'relation ' || n.nspname || '.' || c.relname", RELATIONS, "c.relacl", "c.relowner", USER_RELATION),
            grants("'function ' || p.oid::regprocedure::text", FUNCTIONS, "p.proacl", "p.proowner", USER_FUNCTION));

    private SchemaObjects() {}

    /** The owner's own entry is left out: it follows ownership (compared on its own), not a GRANT. */
    private static String grants(String label, String from, String acl, String owner, String where) {
        return """
                SELECT 'grant', %1$s || ' to ' || pg_get_userbyid(a.grantee),
                       md5(string_agg(a.privilege_type || CASE WHEN a.is_grantable THEN '*' ELSE '' END, ','
                                      ORDER BY a.privilege_type COLLATE "C"))
                FROM %2$s, aclexplode(%3$s) a
                WHERE %5$s AND a.grantee <> 0 AND a.grantee <> %4$s AND pg_get_userbyid(a.grantee) NOT LIKE 'pg\\_%%'
                GROUP BY 1, 2""".formatted(label, from, acl, owner, where);
    }

    static List<SchemaObject> read(Connection connection) throws SQLException {
        List<SchemaObject> objects = new ArrayList<>();
        List<String> queries = new ArrayList<>(QUERIES);
        boolean sqlBodies = connection.getMetaData().getDatabaseMajorVersion() >= 14;
        queries.add(FUNCTIONS_DEFINED.formatted(
                sqlBodies ? "p.prosqlbody IS NOT NULL" : "false", FUNCTIONS, USER_FUNCTION));
        try (Statement sql = connection.createStatement()) {
            sql.execute("SET search_path = ''");
            try {
                for (String query : queries) {
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
