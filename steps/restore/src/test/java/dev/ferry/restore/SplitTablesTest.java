package dev.ferry.restore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.manifest.Inventory;
import dev.ferry.core.manifest.Inventory.TableRows;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SplitTablesTest {

    static final TocList TOC = new TocList(List.of(
            ";",
            "; Archive created at 2026-12-01 21:00:00 UTC",
            "; Selected TOC Entries:",
            "216; 1259 16390 TABLE public chat_message onyx",
            "3401; 0 16390 TABLE DATA public chat_message onyx",
            "3402; 0 16400 TABLE DATA public document onyx",
            "3403; 0 16410 TABLE DATA tenant_a b document onyx",
            "3404; 0 16420 TABLE DATA tenant_a b document onyx",
            ";3405; 0 16430 TABLE DATA public search_doc onyx"));

    static Inventory inventory(TableRows... tables) {
        return new Inventory(List.of("public"), List.of(tables), List.of(), 0, List.of(), List.of(), Map.of(), 0);
    }

    @Test
    void tables_at_least_the_threshold_are_split_largest_first() {
        SplitTables split = SplitTables.choose(
                inventory(
                        new TableRows("public", "document", 10, 80 << 20, null),
                        new TableRows("public", "chat_message", 1000, 300 << 20, null),
                        new TableRows("public", "user", 5, 1 << 20, null)),
                TOC,
                64 << 20,
                2,
                false);

        assertThat(split.tables())
                .extracting(table -> table.table().name(), SplitTables.Table::tocEntry)
                .containsExactly(
                        org.assertj.core.api.Assertions.tuple(
                                "chat_message", "3401; 0 16390 TABLE DATA public chat_message onyx"),
                        org.assertj.core.api.Assertions.tuple(
                                "document", "3402; 0 16400 TABLE DATA public document onyx"));
    }

    @Test
    void an_entry_not_found_exactly_once_is_left_to_pg_restore() {
        assertThat(TOC.tableData("tenant_a b", "document")).as("twice").isEmpty();
        assertThat(TOC.tableData("public", "search_doc")).as("commented out").isEmpty();
        assertThat(TOC.tableData("public", "chat"))
                .as("a prefix of a name is not the name")
                .isEmpty();
        assertThat(TOC.tableData("public", "chat_message")).isPresent();
    }

    @Test
    void nothing_is_split_with_one_job_a_clean_restore_or_a_zero_threshold() {
        Inventory big = inventory(new TableRows("public", "chat_message", 1000, 300 << 20, null));

        assertThat(SplitTables.choose(big, TOC, 64 << 20, 1, false).why()).hasValue("one job");
        assertThat(SplitTables.choose(big, TOC, 64 << 20, 4, true).why()).hasValue("FERRY_RESTORE_CLEAN");
        assertThat(SplitTables.choose(big, TOC, 0, 4, false).why())
                .hasValue("FERRY_RESTORE_SPLIT_TABLES_LARGER_THAN=0");
        assertThat(SplitTables.choose(null, TOC, 64 << 20, 4, false).any()).isFalse();
        assertThat(SplitTables.choose(big, TOC, 400 << 20, 4, false).why())
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("no table of at least"));
    }
}
