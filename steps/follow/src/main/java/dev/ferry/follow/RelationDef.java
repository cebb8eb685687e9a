package dev.ferry.follow;

import java.util.List;

/**
 * A published table as pgoutput describes it (its Relation message): where it lives, the columns it sends (generated
 * columns are not sent before PostgreSQL 18; the target computes them) and which of them form the key changes are
 * applied by (the replica identity: the primary key or the index set with {@code REPLICA IDENTITY USING INDEX}).
 */
public record RelationDef(
        int oid, String schema, String table, List<String> columns, List<Integer> typeOids, List<Integer> key) {

    public RelationDef {
        columns = List.copyOf(columns);
        typeOids = List.copyOf(typeOids);
        key = List.copyOf(key);
    }

    /** {@code schema.table}, quoted only where PostgreSQL would need it, for messages. */
    public String qualifiedName() {
        return Identifiers.quoteIfNeeded(schema) + "." + Identifiers.quoteIfNeeded(table);
    }

    /** Same table, same columns, same key: what a segment's reader needs to be unchanged. */
    public boolean sameShapeAs(RelationDef other) {
        return schema.equals(other.schema)
                && table.equals(other.table)
                && columns.equals(other.columns)
                && typeOids.equals(other.typeOids)
                && key.equals(other.key);
    }
}
