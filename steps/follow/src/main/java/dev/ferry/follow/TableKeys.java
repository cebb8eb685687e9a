package dev.ferry.follow;

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
 * How each user table's changes can be keyed, one rule for the preflight that reports it and the follow that acts on
 * it: by the primary key, by an index already set as replica identity, by a usable unique index a follow makes the
 * replica identity ({@code REPLICA IDENTITY USING INDEX}: Onyx's {@code chat_message} and {@code user_tenant_mapping}
 * have only a unique constraint), or not at all. Unlogged tables never reach the WAL.
 */
public final class TableKeys {

    private TableKeys() {}

    public enum Kind {
        PRIMARY_KEY,
        REPLICA_IDENTITY_INDEX,
        UNIQUE_INDEX_TO_SET,
        NO_KEY,
        UNLOGGED
    }

    /**
     * One table ({@code schema.name} quoted as PostgreSQL needs it), its kind, its current replica identity setting
     * ({@code d}efault, {@code n}othing, {@code f}ull, {@code i}ndex), and for {@link Kind#UNIQUE_INDEX_TO_SET} the
     * index (quoted) and its columns.
     */
    public record TableKey(String table, Kind kind, char replicaIdentity, String index, List<String> columns) {
        public TableKey {
            columns = List.copyOf(columns);
        }
    }

    private record UniqueIndex(String index, List<String> columns) {}

    /** Every user table but partitioned parents (their partitions carry the rows), ordered by name. */
    public static List<TableKey> read(Connection connection) throws SQLException {
        Map<Long, UniqueIndex> usable = usableUniqueIndexes(connection);
        List<TableKey> keys = new ArrayList<>();
        try (PreparedStatement sql = connection.prepareStatement(TABLES);
                ResultSet rs = sql.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString(2);
                char identity = rs.getString(3).charAt(0);
                boolean primaryKey = rs.getBoolean(5);
                Kind kind;
                UniqueIndex index = null;
                if (rs.getBoolean(4)) {
                    kind = Kind.UNLOGGED;
                } else if (primaryKey && identity != 'n') {
                    kind = Kind.PRIMARY_KEY;
                } else if (identity == 'i') {
                    kind = Kind.REPLICA_IDENTITY_INDEX;
                } else {
                    index = usable.get(rs.getLong(1));
                    kind = index == null ? Kind.NO_KEY : Kind.UNIQUE_INDEX_TO_SET;
                }
                keys.add(new TableKey(
                        name,
                        kind,
                        identity,
                        index == null ? null : index.index(),
                        index == null ? List.of() : index.columns()));
            }
        }
        return keys;
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

    private static final String TABLES = """
            SELECT c.oid, format('%I.%I', n.nspname, c.relname), c.relreplident, c.relpersistence = 'u',
                   EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND c.relpersistence <> 't'
              AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
              AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                              AND d.deptype = 'e')
            ORDER BY 2
            """;

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
