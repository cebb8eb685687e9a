package dev.ferry.follow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every row a follow's segments touched, by table and key: the new key of an insert or an update, the old key of an
 * update that changed it, the key of a delete; a truncated table is touched as a whole. What the cutover digests on
 * the frozen source and proves on the target: work in proportion to the changes, not to the database.
 */
public final class TouchedKeys {

    /**
     * One table's touched keys, in key order ({@code keyColumns}: its replica identity), or the whole table when it was
     * truncated.
     */
    public record Table(
            String schema, String table, List<String> keyColumns, Set<List<String>> keys, boolean truncated) {
        public String qualifiedName() {
            return schema + "." + table;
        }
    }

    private final Map<String, Table> tables = new TreeMap<>();

    /** Adds the rows {@code segment} touched. */
    public void add(Segment segment) {
        for (CommittedTransaction transaction : segment.transactions()) {
            for (Change change : transaction.changes()) {
                if (change instanceof Change.Truncate truncate) {
                    for (int oid : truncate.relations()) {
                        RelationDef relation = segment.relations().get(oid);
                        Table table = table(relation);
                        tables.put(
                                relation.qualifiedName(),
                                new Table(table.schema(), table.table(), table.keyColumns(), table.keys(), true));
                    }
                    continue;
                }
                RelationDef relation = segment.relations().get(change.relation());
                Set<List<String>> keys = table(relation).keys();
                if (change instanceof Change.Insert insert) {
                    keys.add(SegmentApplier.keyOf(relation, insert.values()));
                } else if (change instanceof Change.Update update) {
                    keys.add(SegmentApplier.keyOf(relation, update.values()));
                    if (update.oldKey() != null) {
                        keys.add(List.copyOf(update.oldKey()));
                    }
                } else if (change instanceof Change.Delete delete) {
                    keys.add(List.copyOf(delete.key()));
                }
            }
        }
    }

    private Table table(RelationDef relation) {
        return tables.computeIfAbsent(relation.qualifiedName(), name -> {
            List<String> keyColumns = new ArrayList<>();
            relation.key().forEach(i -> keyColumns.add(relation.columns().get(i)));
            return new Table(relation.schema(), relation.table(), keyColumns, new LinkedHashSet<>(), false);
        });
    }

    /** The touched tables, by name. */
    public Collection<Table> tables() {
        return tables.values();
    }

    /** How many keys were touched, over every table (a truncated table counts its touched keys only). */
    public long keys() {
        return tables.values().stream().mapToLong(t -> t.keys().size()).sum();
    }
}
