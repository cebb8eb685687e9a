package dev.ferry.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.manifest.Inventory;
import dev.ferry.core.manifest.Inventory.TableRows;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownReportTest {

    @Test
    void renders_the_verdict_the_mismatches_and_one_row_per_table() {
        Inventory source = InventoryComparisonTest.source();
        List<TableRows> tables = new ArrayList<>(source.tables());
        tables.set(2, new TableRows(InventoryComparisonTest.TENANT, "chat_message", 199));
        tables.add(new TableRows("public", "odd|name", 1));
        Comparison comparison = InventoryComparison.compare(
                source,
                InventoryComparisonTest.with(
                        source, tables, source.sequences(), 3, source.extensions(), source.alembicVersions()),
                false);

        String md = MarkdownReport.render(ValidationReport.of(
                "m-1",
                "onyx",
                "14.22",
                "db:5432/onyx",
                Instant.parse("2026-11-25T01:00:00Z"),
                ValidateConfig.Content.FULL.compares(),
                comparison,
                40_000_000,
                330_000_000,
                null));

        assertThat(md)
                .startsWith("# Validation failed\n")
                .contains("| **Verdict** | failed: 2 mismatches, 0 warnings; compared every row's content |")
                .contains(
                        "| **What differs** | table public.odd\\|name: on the target (1 rows) but not in the source; table "
                                + InventoryComparisonTest.TENANT
                                + ".chat_message: 200 rows in the source, 199 on the target |")
                .contains("| **Outage** | not known")
                .doesNotContain("timeline.svg")
                .contains("Migration `m-1`: source database `onyx` (PostgreSQL 14.22), target `db:5432/onyx`")
                .contains("**2 mismatches, 0 warnings.**")
                .contains("| table | source rows | target rows | content | verdict |")
                .contains("| " + InventoryComparisonTest.TENANT
                        + ".chat_message | 200 | 199 | not compared | **mismatch** |")
                .contains("| " + InventoryComparisonTest.TENANT + ".user | 20 | 20 | not compared | match |")
                .contains("| public.odd\\|name | missing | 1 | not compared | **mismatch** |")
                .contains("| large objects | 3 | 3 | not compared | match |")
                .contains("| pg_trgm | 1.6 | 1.6 | match |")
                .contains("| public | a1b2c3d4e5f6 | a1b2c3d4e5f6 | match |")
                .contains("| " + InventoryComparisonTest.TENANT + ".chat_message_id_seq | 200 | 200 | match |");
    }

    @Test
    void the_summary_on_top_carries_the_predicted_outage_its_parts_and_the_timeline_picture() {
        Inventory source = InventoryComparisonTest.source();
        Comparison comparison = InventoryComparison.compare(source, source, false);
        OutagePrediction outage = OutagePredictionTest.rehearsal(1_000_000, 5_000);

        String md = MarkdownReport.render(ValidationReport.of(
                "m-1",
                "onyx",
                "15.19",
                "db:5432/scratch",
                Instant.parse("2026-11-25T01:00:00Z"),
                ValidateConfig.Content.FULL.compares(),
                comparison,
                52_100_000,
                337_000_000,
                outage));

        String summary = md.substring(0, md.indexOf("Migration `m-1`"));
        assertThat(summary)
                .contains("| **Verdict** | passed: 0 mismatches, 0 warnings; compared every row's content |")
                .contains("| **What differs** | nothing |")
                .contains("| **Outage** | predicted **" + outage.human() + "**: freeze 30.0 s (assumed), dump ")
                .contains("alembic-run 1 min 00 s (assumed), scale-up 2 min 00 s (assumed)")
                .contains("| **Bytes moved** | 49.7MiB of dump artifacts for a source database of 321.4MiB |")
                .contains("![Timeline of the migration, the outage window from freeze to scale-up](timeline.svg)")
                .contains("Onyx wrote 0.50 % more rows during the dump");
    }
}
