package dev.ferry.follow.preflight;

import dev.ferry.follow.TableKeys;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every followed table needs a key by which a change can be applied exactly once, and which the source's WAL
 * carries for updates and deletes: its primary key, or a usable unique index that a follow makes the table's
 * replica identity ({@code REPLICA IDENTITY USING INDEX}, no extra WAL). The rule is the follow's own
 * ({@link TableKeys}); this turns it into findings: a table with neither key is refused, and so is an unlogged
 * table, whose changes never reach the WAL.
 */
final class TableKeysCheck {

    static final String CHECK = "table_keys";
    static final String REPLICA_IDENTITY = "replica_identity";
    static final String NEW_TABLES = "new_tables";

    private TableKeysCheck() {}

    /** A table whose replica identity a follow sets, to this unique index on these columns. */
    record ReplicaIdentity(String table, String index, List<String> columns) {}

    /** What the check found, and the replica identities a follow would set. */
    record Result(List<Finding> findings, List<ReplicaIdentity> toSet, int tables) {}

    static Result check(Connection connection) throws SQLException {
        List<TableKeys.TableKey> tables = TableKeys.read(connection);
        List<Finding> findings = new ArrayList<>();
        List<ReplicaIdentity> toSet = new ArrayList<>();
        int keyed = 0;
        for (TableKeys.TableKey table : tables) {
            switch (table.kind()) {
                case PRIMARY_KEY, REPLICA_IDENTITY_INDEX -> keyed++;
                case UNLOGGED ->
                    findings.add(Finding.refused(
                            CHECK,
                            "table " + table.table() + " is UNLOGGED: its changes never reach the WAL, so no follow can"
                                    + " see them: ALTER TABLE " + table.table() + " SET LOGGED"));
                case UNIQUE_INDEX_TO_SET -> {
                    toSet.add(new ReplicaIdentity(table.table(), table.index(), table.columns()));
                    findings.add(Finding.warning(
                            REPLICA_IDENTITY,
                            "table " + table.table() + " has no primary key"
                                    + (table.replicaIdentity() == 'n'
                                            ? " in its replica identity (REPLICA IDENTITY NOTHING)"
                                            : "")
                                    + ": a follow sets REPLICA IDENTITY USING INDEX " + table.index() + " ("
                                    + String.join(", ", table.columns())
                                    + ") before its publication exists (no extra WAL) and puts it back afterwards"));
                }
                case NO_KEY ->
                    findings.add(Finding.refused(
                            CHECK,
                            "table " + table.table()
                                    + " has no primary key and no usable unique index (unique, on NOT NULL"
                                    + " columns, not partial, not deferrable, no expression), so its changes cannot be"
                                    + " applied by key: add one, e.g. ALTER TABLE " + table.table()
                                    + " ADD PRIMARY KEY (…)"));
            }
        }
        tenantSchemas(connection).ifPresent(findings::add);
        findings.add(
                0,
                Finding.ok(
                        CHECK,
                        keyed + " of " + tables.size() + " user tables are keyed by their primary key or replica"
                                + " identity index"
                                + (toSet.isEmpty()
                                        ? ""
                                        : ", " + toSet.size() + " by a unique index a follow makes their replica"
                                                + " identity")));
        return new Result(findings, toSet, tables.size());
    }

    /**
     * Onyx multi-tenant creates a schema per new tenant. The follow's publication is {@code FOR ALL TABLES}, so a
     * tenant's table created during the follow joins it at once: the source then refuses UPDATE and DELETE on one
     * without a primary key, and apply stops at its first row (the target lacks the table).
     */
    private static Optional<Finding> tenantSchemas(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'tenant\\_%'")) {
            rs.next();
            long tenants = rs.getLong(1);
            if (tenants == 0) {
                return Optional.empty();
            }
            return Optional.of(Finding.warning(
                    NEW_TABLES,
                    tenants + " tenant schema(s) (Onyx multi-tenant): a tenant created during the follow adds tables"
                            + " that join the follow's FOR ALL TABLES publication at once; without a primary key the"
                            + " source refuses their UPDATEs and DELETEs, and apply stops at their first row (the"
                            + " follow must start again from a new base copy): pause tenant provisioning for the"
                            + " days of the follow"));
        }
    }
}
