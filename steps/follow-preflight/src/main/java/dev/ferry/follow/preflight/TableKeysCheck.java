package dev.ferry.follow.preflight;

import dev.ferry.follow.TableKeys;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

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
}
