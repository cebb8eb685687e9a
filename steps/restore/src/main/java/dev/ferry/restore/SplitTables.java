package dev.ferry.restore;

import dev.ferry.core.manifest.Inventory;
import dev.ferry.core.manifest.Inventory.TableRows;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which tables the restore loads over several sessions ({@link ParallelTableCopy}): those at least
 * FERRY_RESTORE_SPLIT_TABLES_LARGER_THAN on the source's disk (the manifest's inventory), largest
 * first, whose data entry the dump's table of contents names exactly once. None when one session is
 * all there is, the setting is 0, or the restore cleans first (its drops must run before any section).
 */
record SplitTables(List<Table> tables, String reason) {

    /** A table to split, with its line in the table of contents. */
    record Table(TableRows table, String tocEntry) {}

    static SplitTables choose(Inventory inventory, TocList toc, long thresholdBytes, int jobs, boolean clean) {
        if (thresholdBytes <= 0) {
            return none("FERRY_RESTORE_SPLIT_TABLES_LARGER_THAN=0");
        }
        if (jobs < 2) {
            return none("one job");
        }
        if (clean) {
            return none("FERRY_RESTORE_CLEAN");
        }
        if (inventory == null) {
            return none("no inventory in the manifest");
        }
        List<Table> tables = new ArrayList<>();
        inventory.tables().stream()
                .filter(table -> table.bytes() >= thresholdBytes)
                .sorted(Comparator.comparingLong(TableRows::bytes).reversed())
                .forEach(table -> toc.tableData(table.schema(), table.name())
                        .ifPresent(entry -> tables.add(new Table(table, entry))));
        return tables.isEmpty()
                ? none("no table of at least " + thresholdBytes + " bytes")
                : new SplitTables(List.copyOf(tables), "");
    }

    static SplitTables none(String reason) {
        return new SplitTables(List.of(), reason);
    }

    boolean any() {
        return !tables.isEmpty();
    }

    Optional<String> why() {
        return reason.isEmpty() ? Optional.empty() : Optional.of(reason);
    }
}
