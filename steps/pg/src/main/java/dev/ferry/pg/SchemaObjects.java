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
 * <li>column defaults and generated columns' expressions ({@code pg_get_expr} of {@code pg_attrdef}), row
 * security policies (command, permissive or restrictive, roles, {@code USING} and {@code WITH CHECK}), whether a
 * table has row security enabled or forced, and the constraints of domains;</li>
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
 * The kinds whose definition is a print of what the server parsed ({@link SchemaObject#reprintable}) keep the
 * print itself too: another major may print the same definition differently, and validate then has the target read
 * the source's print again ({@link DefinitionProbes}). NOT NULL constraints are left out of the constraints: they
 * are catalogued as constraints only from PostgreSQL 18 (17 for domains), so every pair across that line would
 * differ; they are part of the column, which pg_restore creates with its table.
 *
 * <p>Read with an empty {@code search_path}, so every name is schema-qualified alike on both ends. Objects of
 * extensions are left out: CREATE EXTENSION makes them. Every kind's query gives {@code kind, name, definition}
 * and, for the kinds a probe re-creates, {@code object} (the oid of the table, domain, view or function it belongs
 * to) and {@code detail} (its own name in that table or domain, the view's schema).
 */
final class SchemaObjects {

    private static final String USER_RELATION = InventoryReader.USER_SCHEMA + """
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                             AND d.objid = c.oid AND d.deptype = 'e')""";

    private static final String USER_FUNCTION = InventoryReader.USER_SCHEMA + """
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                             AND d.objid = p.oid AND d.deptype = 'e')""";

    private static final String USER_TYPE = InventoryReader.USER_SCHEMA + """
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass
                             AND d.objid = t.oid AND d.deptype = 'e')""";

    private static final String RELATIONS = "pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace";
    private static final String FUNCTIONS = "pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace";
    private static final String COLUMN_DEFAULTS = """
            pg_attrdef ad JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
            JOIN pg_class c ON c.oid = ad.adrelid JOIN pg_namespace n ON n.oid = c.relnamespace""";

    /** A generated column as {@code ALTER TABLE … ADD COLUMN name type} continues it ({@code a}, {@code ad}). */
    static final String GENERATED_COLUMN = """
            'GENERATED ALWAYS AS (' || pg_get_expr(ad.adbin, ad.adrelid) || ') '
            || CASE a.attgenerated WHEN 's' THEN 'STORED' ELSE 'VIRTUAL' END""";

    /** A policy as {@code CREATE POLICY name ON table} continues it ({@code pol}); roles sorted, PUBLIC by name. */
    static final String POLICY = """
            'AS ' || CASE WHEN pol.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END
            || ' FOR ' || CASE pol.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                                          WHEN 'd' THEN 'DELETE' ELSE 'ALL' END
            || ' TO ' || (SELECT string_agg(r.name, ', ' ORDER BY r.name COLLATE "C")
                          FROM (SELECT CASE WHEN g = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(g)) END
                                FROM unnest(pol.polroles) g) r(name))
            || coalesce(' USING (' || pg_get_expr(pol.polqual, pol.polrelid) || ')', '')
            || coalesce(' WITH CHECK (' || pg_get_expr(pol.polwithcheck, pol.polrelid) || ')', '')""";

    static final String INDEXES = """
            SELECT 'index', n.nspname || '.' || ic.relname, pg_get_indexdef(i.indexrelid), i.indrelid, ic.relname
            FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE %s""".formatted(USER_RELATION);

    static final String CONSTRAINTS = """
            SELECT 'constraint', n.nspname || '.' || c.relname || '.' || k.conname, pg_get_constraintdef(k.oid),
                   k.conrelid, k.conname
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE k.contype <> 'n' AND %s""".formatted(USER_RELATION);

    static final String TRIGGERS = """
            SELECT 'trigger', n.nspname || '.' || c.relname || '.' || t.tgname, pg_get_triggerdef(t.oid),
                   t.tgrelid, t.tgname
            FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE NOT t.tgisinternal AND %s""".formatted(USER_RELATION);

    static final String DEFAULTS = """
            SELECT 'default', n.nspname || '.' || c.relname || '.' || a.attname, pg_get_expr(ad.adbin, ad.adrelid),
                   ad.adrelid, a.attname
            FROM %s WHERE a.attgenerated = '' AND NOT a.attisdropped AND %s""".formatted(COLUMN_DEFAULTS, USER_RELATION);

    static final String GENERATED_COLUMNS = """
            SELECT 'generated column', n.nspname || '.' || c.relname || '.' || a.attname, %s, ad.adrelid, a.attname
            FROM %s WHERE a.attgenerated <> '' AND NOT a.attisdropped AND %s""".formatted(GENERATED_COLUMN, COLUMN_DEFAULTS, USER_RELATION);

    static final String POLICIES = """
            SELECT 'policy', n.nspname || '.' || c.relname || '.' || pol.polname, %s, pol.polrelid, pol.polname
            FROM pg_policy pol JOIN %s ON c.oid = pol.polrelid WHERE %s""".formatted(POLICY, RELATIONS, USER_RELATION);

    static final String DOMAIN_CONSTRAINTS = """
            SELECT 'domain constraint', n.nspname || '.' || t.typname || '.' || k.conname, pg_get_constraintdef(k.oid),
                   k.contypid, k.conname
            FROM pg_constraint k JOIN pg_type t ON t.oid = k.contypid JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE k.contype <> 'n' AND %s""".formatted(USER_TYPE);

    private static final String ROW_SECURITY = """
            SELECT 'row security', n.nspname || '.' || c.relname,
                   concat_ws(' ', CASE WHEN c.relrowsecurity THEN 'ENABLE' END,
                             CASE WHEN c.relforcerowsecurity THEN 'FORCE' END)
            FROM %s WHERE (c.relrowsecurity OR c.relforcerowsecurity) AND %s""".formatted(RELATIONS, USER_RELATION);

    private static final String RELATION_OWNERS = """
            SELECT 'owner', 'relation ' || n.nspname || '.' || c.relname, pg_get_userbyid(c.relowner)::text
            FROM %s WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND %s""".formatted(RELATIONS, USER_RELATION);

    private static final String FUNCTION_OWNERS = """
            SELECT 'owner', 'function ' || p.oid::regprocedure::text, pg_get_userbyid(p.proowner)::text
            FROM %s WHERE %s""".formatted(FUNCTIONS, USER_FUNCTION);

    /** {@code %s}: how to tell an SQL-standard body, which exists from PostgreSQL 14 (prosqlbody). */
    private static final String FUNCTIONS_DEFINED = """
            SELECT CASE WHEN %s THEN 'sql function' ELSE 'function' END, p.oid::regprocedure::text,
                   pg_get_functiondef(p.oid), p.oid, NULL::name AS detail
            FROM %s WHERE p.prokind <> 'a' AND %s""";

    static final String VIEWS = """
            SELECT CASE c.relkind WHEN 'v' THEN 'view' ELSE 'materialized view' END, n.nspname || '.' || c.relname,
                   pg_get_viewdef(c.oid), c.oid, n.nspname
            FROM %s WHERE c.relkind IN ('v', 'm') AND %s""".formatted(RELATIONS, USER_RELATION);

    private static final String SEQUENCES = """
            SELECT 'sequence', n.nspname || '.' || c.relname,
                   concat_ws(' ', format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax,
                             s.seqcache, s.seqcycle)
            FROM pg_sequence s JOIN %s ON c.oid = s.seqrelid WHERE %s""".formatted(RELATIONS, USER_RELATION);

    private static final List<String> QUERIES = List.of(
            INDEXES,
            CONSTRAINTS,
            TRIGGERS,
            DEFAULTS,
            GENERATED_COLUMNS,
            POLICIES,
            ROW_SECURITY,
            DOMAIN_CONSTRAINTS,
            VIEWS,
            SEQUENCES,
            RELATION_OWNERS,
            FUNCTION_OWNERS,
            grants("'schema ' || n.nspname", "pg_namespace n", "n.nspacl", "n.nspowner", InventoryReader.USER_SCHEMA),
            grants("'relation ' || n.nspname || '.' || c.relname", RELATIONS, "c.relacl", "c.relowner", USER_RELATION),
            grants("'function ' || p.oid::regprocedure::text", FUNCTIONS, "p.proacl", "p.proowner", USER_FUNCTION));

    /** Every kind {@link #read} records; a manifest lists them, so validate knows which kinds it may compare. */
    static final List<String> KINDS = List.of(
            "index",
            "constraint",
            "trigger",
            "default",
            "generated column",
            "policy",
            "row security",
            "domain constraint",
            "view",
            "materialized view",
            "sequence",
            "owner",
            "function",
            "sql function",
            "grant");

    private SchemaObjects() {}

    /** The owner's own entry is left out: it follows ownership (compared on its own), not a GRANT. */
    private static String grants(String label, String from, String acl, String owner, String where) {
        return """
                SELECT 'grant', %1$s || ' to ' || pg_get_userbyid(a.grantee),
                       string_agg(a.privilege_type || CASE WHEN a.is_grantable THEN '*' ELSE '' END, ','
                                  ORDER BY a.privilege_type COLLATE "C")
                FROM %2$s, aclexplode(%3$s) a
                WHERE %5$s AND a.grantee <> 0 AND a.grantee <> %4$s AND pg_get_userbyid(a.grantee) NOT LIKE 'pg\\_%%'
                GROUP BY 1, 2""".formatted(label, from, acl, owner, where);
    }

    /** The query of functions and procedures on a server of {@code major}. */
    static String functions(int major) {
        // BEGIN ATOMIC bodies exist from PostgreSQL 14 (prosqlbody).
        return FUNCTIONS_DEFINED.formatted(
                major >= 14 ? "p.prosqlbody IS NOT NULL" : "false", FUNCTIONS, USER_FUNCTION);
    }

    static List<SchemaObject> read(Connection connection) throws SQLException {
        List<SchemaObject> objects = new ArrayList<>();
        List<String> queries = new ArrayList<>(QUERIES);
        queries.add(functions(connection.getMetaData().getDatabaseMajorVersion()));
        try (Statement sql = connection.createStatement()) {
            sql.execute("SET search_path = ''");
            try {
                for (String query : queries) {
                    // md5 by the server, of the same text as ever: a manifest from before the prints travelled
                    // compares equal with a target read now.
                    try (ResultSet rs = sql.executeQuery("SELECT q.kind, q.name, md5(q.definition), q.definition FROM ("
                            + query + ") q(kind, name, definition)")) {
                        while (rs.next()) {
                            String kind = rs.getString(1);
                            SchemaObject object = new SchemaObject(kind, rs.getString(2), rs.getString(3), null);
                            objects.add(
                                    object.reprintable()
                                            ? new SchemaObject(
                                                    kind, object.name(), object.definitionMd5(), rs.getString(4))
                                            : object);
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
