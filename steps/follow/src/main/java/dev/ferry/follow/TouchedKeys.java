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
 * the frozen source and proves on the target: work in proportion to the changes, not to the database. Each table also
 * keeps the rows it gained (inserts less deletes), so that its rows at the freeze follow from its rows at the
 * snapshot without counting it again.
 */
public final class TouchedKeys {

    /**
     * One table's touched keys, in key order ({@code keyColumns}: its replica identity), or the whole table when it was
     * truncated; {@code gained}: its inserts less its deletes, since its last truncate when it was truncated.
     */
    public record Table(
            String schema,
            String table,
            List<String> keyColumns,
            Set<List<String>> keys,
            boolean truncated,
            RowsGained gained) {
        public String qualifiedName() {
            return schema + "." + table;
        }

        /**
         * Its exact rows now, given its exact rows at the snapshot: a committed insert adds one row and a committed
         * delete removes one (a key change is an update), and a truncate leaves none.
         */
        public long rowsGiven(long rowsAtSnapshot) {
            return (truncated ? 0 : rowsAtSnapshot) + gained.rows();
        }
    }

    /** Inserts less deletes, counted as the segments are read; a truncate starts again from none. */
    public static final class RowsGained {
        private long rows;

        public long rows() {
            return rows;
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
                        table.gained().rows = 0;
                        tables.put(
                                relation.qualifiedName(),
                                new Table(
                                        table.schema(),
                                        table.table(),
                                        table.keyColumns(),
                                        table.keys(),
                                        true,
                                        table.gained()));
                    }
                    continue;
                }
                RelationDef relation = segment.relations().get(change.relation());
                Table table = table(relation);
                Set<List<String>> keys = table.keys();
                if (change instanceof Change.Insert insert) {
                    keys.add(SegmentApplier.keyOf(relation, insert.values()));
                    table.gained().rows++;
                } else if (change instanceof Change.Update update) {
                    keys.add(SegmentApplier.keyOf(relation, update.values()));
                    if (update.oldKey() != null) {
                        keys.add(List.copyOf(update.oldKey()));
                    }
                } else if (change instanceof Change.Delete delete) {
                    keys.add(List.copyOf(delete.key()));
                    table.gained().rows--;
                }
            }
        }
    }

    private Table table(RelationDef relation) {
        return tables.computeIfAbsent(relation.qualifiedName(), name -> {
            List<String> keyColumns = new ArrayList<>();
            relation.key().forEach(i -> keyColumns.add(relation.columns().get(i)));
            return new Table(
                    relation.schema(), relation.table(), keyColumns, new LinkedHashSet<>(), false, new RowsGained());
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
