package dev.ferry.follow.preflight;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every followed table needs a key by which a change can be applied exactly once, and which the source's WAL
 * carries for updates and deletes: its primary key, or a usable unique index that a follow makes the table's
 * replica identity ({@code REPLICA IDENTITY USING INDEX}, no extra WAL). Onyx's {@code chat_message} and
 * {@code user_tenant_mapping} have only a unique constraint. A table with neither is refused; so is an unlogged
 * table, whose changes never reach the WAL.
 */
final class TableKeys {

    static final String CHECK = "table_keys";
    static final String REPLICA_IDENTITY = "replica_identity";

    private TableKeys() {}

    /** A table whose replica identity a follow sets, to this unique index on these columns. */
    record ReplicaIdentity(String table, String index, List<String> columns) {}

    /** What the check found, and the replica identities a follow would set. */
    record Result(List<Finding> findings, List<ReplicaIdentity> toSet, int tables) {}

    private record UniqueIndex(String index, List<String> columns) {}

    private record Table(
            long oid,
            String name,
            char replicaIdentity,
            boolean unlogged,
            boolean hasPrimaryKey,
            boolean partitioned) {}

    static Result check(Connection connection) throws SQLException {
        List<Table> tables = tables(connection);
        Map<Long, UniqueIndex> usable = usableUniqueIndexes(connection);
        List<Finding> findings = new ArrayList<>();
        List<ReplicaIdentity> toSet = new ArrayList<>();
        int keyed = 0;
        for (Table table : tables) {
            if (table.unlogged()) {
                findings.add(Finding.refused(
                        CHECK,
                        "table " + table.name() + " is UNLOGGED: its changes never reach the WAL, so no follow can"
                                + " see them: ALTER TABLE " + table.name() + " SET LOGGED"));
                continue;
            }
            if (table.partitioned()) {
                continue; // its partitions are tables of their own here, and carry the rows
            }
            boolean byPrimaryKey = table.hasPrimaryKey() && table.replicaIdentity() != 'n';
            if (byPrimaryKey || table.replicaIdentity() == 'i') {
                keyed++;
                continue;
            }
            UniqueIndex index = usable.get(table.oid());
            if (index != null) {
                toSet.add(new ReplicaIdentity(table.name(), index.index(), index.columns()));
                findings.add(Finding.warning(
                        REPLICA_IDENTITY,
                        "table " + table.name() + " has no primary key"
                                + (table.hasPrimaryKey() ? " in its replica identity (REPLICA IDENTITY NOTHING)" : "")
                                + ": a follow sets REPLICA IDENTITY USING INDEX " + index.index() + " ("
                                + String.join(", ", index.columns())
                                + ") before its publication exists (no extra WAL) and puts it back afterwards"));
                continue;
            }
            findings.add(Finding.refused(
                    CHECK,
                    "table " + table.name() + " has no primary key and no usable unique index (unique, on NOT NULL"
                            + " columns, not partial, not deferrable, no expression), so its changes cannot be"
                            + " applied by key: add one, e.g. ALTER TABLE " + table.name() + " ADD PRIMARY KEY (…)"));
        }
        findings.add(
                0,
                Finding.ok(
                        CHECK,
                        keyed + " of " + tables.size() + " user tables are keyed by their primary"
                                + " key or replica identity index"
                                + (toSet.isEmpty()
                                        ? ""
                                        : ", " + toSet.size() + " by a unique index"
                                                + " a follow makes their replica identity")));
        return new Result(findings, toSet, tables.size());
    }

    private static List<Table> tables(Connection connection) throws SQLException {
        List<Table> tables = new ArrayList<>();
        try (PreparedStatement sql = connection.prepareStatement(
                        "SELECT c.oid, format('%I.%I', n.nspname, c.relname), c.relreplident, c.relpersistence = 'u',"
                                + " EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary),"
                                + " c.relkind = 'p'"
                                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                                + " WHERE c.relkind IN ('r', 'p') AND c.relpersistence <> 't' AND "
                                + UserTables.SCHEMA_FILTER + " ORDER BY 2");
                ResultSet rs = sql.executeQuery()) {
            while (rs.next()) {
                tables.add(new Table(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3).charAt(0),
                        rs.getBoolean(4),
                        rs.getBoolean(5),
                        rs.getBoolean(6)));
            }
        }
        return tables;
    }

    /**
     * Per table, the unique index {@code REPLICA IDENTITY USING INDEX} accepts (PostgreSQL's own rules: unique,
     * immediate, valid, not partial, key columns only plain NOT NULL columns), the fewest columns first.
     */
    private static Map<Long, UniqueIndex> usableUniqueIndexes(Connection connection) throws SQLException {
        Map<Long, UniqueIndex> usable = new HashMap<>();
        try (PreparedStatement sql = connection.prepareStatement(USABLE_UNIQUE_INDEXES);
                ResultSet rs = sql.executeQuery()) {
            while (rs.next()) {
                Array columns = rs.getArray(3);
                usable.putIfAbsent(
                        rs.getLong(1), new UniqueIndex(rs.getString(2), Arrays.asList((String[]) columns.getArray())));
            }
        }
        return usable;
    }

    private static final String USABLE_UNIQUE_INDEXES = """
            SELECT i.indrelid, format('%I', ci.relname),
                   ARRAY(SELECT a.attname::text
                         FROM unnest((i.indkey::int2[])[0:i.indnkeyatts - 1]) WITH ORDINALITY k(attnum, ord)
                         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                         ORDER BY k.ord)
            FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid
            WHERE i.indisunique AND i.indimmediate AND i.indisvalid AND i.indisready AND i.indislive
              AND i.indpred IS NULL AND i.indexprs IS NULL
              AND NOT EXISTS (SELECT 1 FROM unnest((i.indkey::int2[])[0:i.indnkeyatts - 1]) k(attnum)
                              LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                              WHERE k.attnum <= 0 OR a.attnotnull IS NOT TRUE)
            ORDER BY i.indrelid, i.indnkeyatts, ci.relname
            """;
}
