package dev.ferry.pg;

import dev.ferry.core.manifest.Inventory;
import dev.ferry.core.manifest.Inventory.Extension;
import dev.ferry.core.manifest.Inventory.SequenceValue;
import dev.ferry.core.manifest.Inventory.TableRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Reads what a database holds, the same way on the source (dump) and the target (validate), so the
 * two inventories can be compared field by field. Row counts are exact {@code count(*)}.
 *
 * <p>Choices, each so that source and target agree after a faithful restore:
 * <ul>
 * <li>System schemas (pg_catalog, information_schema, pg_toast, pg_temp_*, pg_toast_temp_*) are left out.</li>
 * <li>Tables and sequences that belong to an extension are left out: CREATE EXTENSION recreates them.</li>
 * <li>A partitioned table is counted as a whole and each partition again, as each is its own table.</li>
 * <li>{@code plpgsql} is left out of the extensions: every database has it from template1.</li>
 * <li>Predefined {@code pg_*} roles are left out of the roles: every server has them.</li>
 * </ul>
 */
public final class InventoryReader {

    private final TableScan scan;
    private final Predicate<String> counted;

    /** Counts only: no content digests. */
    public InventoryReader() {
        this(TableScan.COUNTS);
    }

    /**
     * Scans each table as {@code scan} says, in the same pass as its count; any digest of a table also brings
     * the large objects' digest ({@link ContentDigests}).
     */
    public InventoryReader(TableScan scan) {
        this(scan, table -> true);
    }

    private InventoryReader(TableScan scan, Predicate<String> counted) {
        this.scan = scan;
        this.counted = counted;
    }

    /**
     * Counts only the tables {@code counted} names ({@code schema.name}), and every partitioned table (logical
     * decoding reports its partitions' changes, not its own); every other table is listed with {@link
     * Inventory.TableRows#NOT_COUNTED} rows, at the cost of the catalog only.
     */
    public static InventoryReader countingOnly(Predicate<String> counted) {
        return new InventoryReader(TableScan.COUNTS, counted);
    }

    /** Also each table's full and sample digests and the large objects' digest: what dump records of the source. */
    public static InventoryReader withContentDigests() {
        return new InventoryReader(TableScan.FULL_AND_SAMPLE);
    }

    static final String USER_SCHEMA = """
            n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
            AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'""";

    private static final String NOT_EXTENSION_MEMBER = """
            NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                        AND d.deptype = 'e')""";

    public Inventory read(Connection connection) throws SQLException {
        if (scan.digests()) {
            ContentDigests.prepare(connection);
        }
        return read(connection, names -> scanRows(connection, names, scan));
    }

    /**
     * The inventory inside {@code snapshot}: the catalog on its own session, the row counts over
     * {@code sessions} further sessions that import it, largest tables first, so that every count is of
     * the same moment as the dump that reads the snapshot.
     */
    public Inventory read(ExportedSnapshot snapshot, Supplier<Connection> sessionOpener, int sessions)
            throws SQLException {
        if (scan.digests()) {
            ContentDigests.prepare(snapshot.connection());
        }
        return read(
                snapshot.connection(),
                names -> new ParallelRowCounts(snapshot, sessionOpener, sessions).scan(names, scan));
    }

    private static final TableScan.Result NOT_SCANNED = new TableScan.Result(TableRows.NOT_COUNTED, null, null);

    /** Scans the named tables ({@code [schema, name]} pairs), in any order. */
    interface RowCounter {
        Map<List<String>, TableScan.Result> count(List<List<String>> tables) throws SQLException;
    }

    private Inventory read(Connection connection, RowCounter counter) throws SQLException {
        List<String> schemas = schemas(connection);
        List<TableRows> tables = tables(connection, counter);
        List<String> roles = roles(connection);
        return new Inventory(
                schemas,
                tables,
                sequences(connection),
                singleLong(connection, "SELECT count(*) FROM pg_largeobject_metadata"),
                extensions(connection),
                roles,
                alembicVersions(connection, tables),
                singleLong(connection, "SELECT pg_database_size(current_database())"),
                scan.digests() ? ContentDigests.largeObjects(connection) : null,
                SchemaObjects.read(connection),
                roleFacts(connection, roles),
                SchemaObjects.KINDS);
    }

    List<String> schemas(Connection connection) throws SQLException {
        return strings(connection, "SELECT n.nspname FROM pg_namespace n WHERE " + USER_SCHEMA + " ORDER BY 1");
    }

    private List<TableRows> tables(Connection connection, RowCounter counter) throws SQLException {
        // Largest first (by the planner's page count), so parallel counts finish together.
        List<List<String>> bySize = new ArrayList<>();
        List<List<String>> toCount = new ArrayList<>();
        Map<List<String>, Long> bytes = new HashMap<>();
        try (Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery("""
                        SELECT n.nspname, c.relname, pg_table_size(c.oid), c.relkind = 'p'
                        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE c.relkind IN ('r', 'p') AND %s AND %s ORDER BY c.relpages DESC, 1, 2""".formatted(USER_SCHEMA, NOT_EXTENSION_MEMBER))) {
            while (rs.next()) {
                List<String> name = List.of(rs.getString(1), rs.getString(2));
                bySize.add(name);
                bytes.put(name, rs.getLong(3));
                // A partitioned table's rows are its partitions': whoever knows theirs without counting counts it.
                if (rs.getBoolean(4) || counted.test(name.get(0) + "." + name.get(1))) {
                    toCount.add(name);
                }
            }
        }
        Map<List<String>, TableScan.Result> scans = counter.count(toCount);
        List<TableRows> tables = new ArrayList<>(bySize.size());
        for (List<String> name : bySize) {
            TableScan.Result scanned = scans.getOrDefault(name, NOT_SCANNED);
            tables.add(new TableRows(
                    name.get(0), name.get(1), scanned.rows(), bytes.get(name), scanned.digest(), scanned.sample()));
        }
        tables.sort(Comparator.comparing(TableRows::schema).thenComparing(TableRows::name));
        return tables;
    }

    /** Scans each table on {@code connection}: its count, and the digests {@code scan} asks for. */
    static Map<List<String>, TableScan.Result> scanRows(
            Connection connection, List<List<String>> tables, TableScan scan) throws SQLException {
        Map<List<String>, TableScan.Result> scans = new HashMap<>();
        for (List<String> name : tables) {
            Optional<List<String>> sampleKey = scan.sampleKey(connection, name.get(0), name.get(1));
            if (scan.full() || sampleKey.isPresent()) {
                try (Statement sql = connection.createStatement();
                        ResultSet rs = sql.executeQuery(ContentDigests.tableQuery(
                                connection, name.get(0), name.get(1), scan.full(), sampleKey, scan.rowHash()))) {
                    rs.next();
                    String sampleDigest = rs.getString(3);
                    scans.put(
                            name,
                            new TableScan.Result(
                                    rs.getLong(1),
                                    rs.getString(2),
                                    sampleKey
                                            .map(key -> new Inventory.Sample(
                                                    key, ContentDigests.SAMPLE_ONE_IN, sampleDigest))
                                            .orElse(null)));
                }
            } else {
                scans.put(name, new TableScan.Result(singleLong(connection, countQuery(name)), null, null));
            }
        }
        return scans;
    }

    static String countQuery(List<String> table) {
        return "SELECT count(*) FROM " + PgIdentifiers.qualified(table.get(0), table.get(1));
    }

    /**
     * pg_sequences.last_value is null when the sequence was never called (or we may not read it). Public for the
     * follow's drain marker, which carries the frozen source's values to the target.
     */
    public List<SequenceValue> sequences(Connection connection) throws SQLException {
        List<SequenceValue> sequences = new ArrayList<>();
        try (Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery("""
                        SELECT s.schemaname, s.sequencename, s.last_value
                        FROM pg_sequences s
                        JOIN pg_namespace n ON n.nspname = s.schemaname
                        JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = s.sequencename
                        WHERE %s AND %s ORDER BY 1, 2""".formatted(USER_SCHEMA, NOT_EXTENSION_MEMBER))) {
            while (rs.next()) {
                long value = rs.getLong(3);
                Long lastValue = rs.wasNull() ? null : value; // before reading another column
                sequences.add(new SequenceValue(rs.getString(1), rs.getString(2), lastValue));
            }
        }
        return sequences;
    }

    List<Extension> extensions(Connection connection) throws SQLException {
        List<Extension> extensions = new ArrayList<>();
        try (Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery(
                        "SELECT extname, extversion FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY 1")) {
            while (rs.next()) {
                extensions.add(new Extension(rs.getString(1), rs.getString(2)));
            }
        }
        return extensions;
    }

    /**
     * Roles that own something in this database or appear in one of its ACLs (as grantee): the
     * roles a restore needs to exist for owners and GRANTs to apply (Onyx's db_readonly_user).
     */
    List<String> roles(Connection connection) throws SQLException {
        return strings(connection, """
                WITH objects(owner, acl) AS (
                  SELECT datdba, datacl FROM pg_database WHERE datname = current_database()
                  UNION ALL SELECT n.nspowner, n.nspacl FROM pg_namespace n WHERE %1$s
                  UNION ALL SELECT c.relowner, c.relacl FROM pg_class c
                    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE %1$s
                  UNION ALL SELECT p.proowner, p.proacl FROM pg_proc p
                    JOIN pg_namespace n ON n.oid = p.pronamespace WHERE %1$s
                  UNION ALL SELECT t.typowner, t.typacl FROM pg_type t
                    JOIN pg_namespace n ON n.oid = t.typnamespace WHERE %1$s
                  UNION ALL SELECT defaclrole, defaclacl FROM pg_default_acl
                  UNION ALL SELECT lomowner, lomacl FROM pg_largeobject_metadata
                ), referenced(role) AS (
                  SELECT owner FROM objects
                  UNION SELECT (aclexplode(acl)).grantee FROM objects WHERE acl IS NOT NULL
                )
                SELECT r.rolname FROM pg_roles r JOIN referenced ON referenced.role = r.oid
                WHERE r.rolname NOT LIKE 'pg\\_%%' ORDER BY 1""".formatted(USER_SCHEMA));
    }

    /** LOGIN and memberships of each of {@code roles} (pg_roles: readable by every user, passwords masked). */
    static List<Inventory.RoleFacts> roleFacts(Connection connection, List<String> roles) throws SQLException {
        List<Inventory.RoleFacts> facts = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT r.rolname, r.rolcanlogin,
                       array(SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                             WHERE m.member = r.oid ORDER BY 1)
                FROM pg_roles r WHERE r.rolname = ANY (?) ORDER BY 1""")) {
            query.setArray(1, connection.createArrayOf("text", roles.toArray()));
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    facts.add(new Inventory.RoleFacts(rs.getString(1), rs.getBoolean(2), List.of((String[])
                            rs.getArray(3).getArray())));
                }
            }
        }
        return facts;
    }

    /** Every schema that has an {@code alembic_version} table, with the revisions in it (Onyx keeps one per tenant). */
    Map<String, List<String>> alembicVersions(Connection connection, List<TableRows> tables) throws SQLException {
        Map<String, List<String>> versions = new LinkedHashMap<>();
        for (TableRows table : tables) {
            if (table.name().equals("alembic_version")) {
                versions.put(
                        table.schema(),
                        strings(
                                connection,
                                "SELECT version_num FROM " + PgIdentifiers.qualified(table.schema(), table.name())
                                        + " ORDER BY 1"));
            }
        }
        return versions;
    }

    private static List<String> strings(Connection connection, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery(query)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static long singleLong(Connection connection, String query) throws SQLException {
        try (Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
