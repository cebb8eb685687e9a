package dev.ferry.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.manifest.Inventory;
import dev.ferry.core.manifest.Inventory.Extension;
import dev.ferry.core.manifest.Inventory.SchemaObject;
import dev.ferry.core.manifest.Inventory.SequenceValue;
import dev.ferry.core.manifest.Inventory.TableRows;
import dev.ferry.pg.DefinitionProbes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InventoryComparisonTest {

    static final String TENANT = "tenant_4f1c2b9e-8d3a-4c6b-9e2f-1a7d5c3b8e01";

    /** A small Onyx-like inventory; tests change one thing on the target at a time. */
    static Inventory source() {
        return new Inventory(
                List.of("public", TENANT),
                List.of(
                        new TableRows("public", "alembic_version", 1), new TableRows(TENANT, "user", 20),
                        new TableRows(TENANT, "chat_message", 200), new TableRows(TENANT, "alembic_version", 1)),
                List.of(
                        new SequenceValue(TENANT, "chat_message_id_seq", 200L),
                        new SequenceValue(TENANT, "tool_id_seq", null)),
                3,
                List.of(new Extension("pg_trgm", "1.6"), new Extension("pgcrypto", "1.3")),
                List.of("db_readonly_user", "postgres"),
                Map.of("public", List.of("a1b2c3d4e5f6"), TENANT, List.of("3c8f4ba6e3f1")),
                10_000_000);
    }

    static Inventory with(
            Inventory base,
            List<TableRows> tables,
            List<SequenceValue> sequences,
            long largeObjects,
            List<Extension> extensions,
            Map<String, List<String>> alembic) {
        return new Inventory(
                base.schemas(), tables, sequences, largeObjects, extensions, base.roles(), alembic, 12_345);
    }

    /** {@code inventory} with a content digest per table ({@code digest(table)}) and for the large objects. */
    static Inventory digested(Inventory inventory, java.util.function.Function<String, String> digest, String lobs) {
        return inventory
                .withTables(inventory.tables().stream()
                        .map(t -> new TableRows(
                                t.schema(), t.name(), t.rows(), t.bytes(), digest.apply(t.qualifiedName())))
                        .toList())
                .withLargeObjectsDigest(lobs);
    }

    static Inventory withObjects(Inventory inventory, SchemaObject... objects) {
        return inventory.withSchemaObjects(List.of(objects));
    }

    @Test
    void a_lost_or_changed_index_constraint_or_trigger_is_a_mismatch_and_an_extra_one_a_warning() {
        Inventory source = withObjects(
                source(),
                new SchemaObject("index", "public.ix_a", "1"),
                new SchemaObject("trigger", "public.t.trg", "2"),
                new SchemaObject("constraint", "public.t.t_pkey", "3"));
        Inventory target = withObjects(
                source(),
                new SchemaObject("index", "public.ix_a", "changed"),
                new SchemaObject("constraint", "public.t.t_pkey", "3"),
                new SchemaObject("index", "public.ix_extra", "4"));

        Comparison comparison = InventoryComparison.compare(source, target, false);

        assertThat(comparison.mismatches())
                .containsExactly(
                        "index public.ix_a: differs between the source and the target",
                        "trigger public.t.trg: missing on the target");
        assertThat(comparison.warnings()).containsExactly("index public.ix_extra: on the target but not in the source");
        assertThat(comparison.schemaObjects().verdict()).isEqualTo(Verdict.MISMATCH);
        assertThat(InventoryComparison.compare(source, source, false)
                        .schemaObjects()
                        .content())
                .isEqualTo("match");
    }

    @Test
    void equal_counts_with_another_content_are_a_mismatch_naming_the_table() {
        Inventory source = digested(source(), name -> "d-" + name, "lobs");
        Inventory target = digested(source(), name -> name.endsWith("chat_message") ? "changed" : "d-" + name, "lobs");

        Comparison comparison = InventoryComparison.compare(source, target, false);

        assertThat(comparison.passed()).isFalse();
        assertThat(comparison.mismatches())
                .containsExactly("table " + TENANT + ".chat_message: the same 200 rows in number, but their content"
                        + " differs from the source's");
        assertThat(comparison.tables())
                .filteredOn(t -> t.table().endsWith("chat_message"))
                .singleElement()
                .satisfies(t -> assertThat(t.content()).isEqualTo("differs"));
        assertThat(comparison.tables())
                .filteredOn(t -> t.table().endsWith(".user"))
                .singleElement()
                .satisfies(t -> assertThat(t.content()).isEqualTo("match"));
    }

    @Test
    void large_objects_with_other_bytes_are_a_mismatch() {
        Comparison comparison = InventoryComparison.compare(
                digested(source(), name -> "d", "before"), digested(source(), name -> "d", "after"), false);

        assertThat(comparison.mismatches())
                .containsExactly(
                        "large objects: the same 3 in number, but their bytes, owners or grants differ from the source's");
        assertThat(comparison.largeObjects().content()).isEqualTo("differs");
    }

    @Test
    void a_manifest_without_digests_is_compared_by_counts_with_a_warning() {
        Comparison comparison = InventoryComparison.compare(source(), digested(source(), name -> "d", "lobs"), false);

        assertThat(comparison.passed()).isTrue();
        assertThat(comparison.warnings()).singleElement().asString().contains("no content digests");
        assertThat(comparison.tables()).allSatisfy(t -> assertThat(t.content()).isEqualTo("not compared"));
    }

    @Test
    void an_equal_target_passes_even_with_another_size_and_roles() {
        Inventory target = new Inventory(
                source().schemas(),
                source().tables(),
                source().sequences(),
                3,
                source().extensions(),
                List.of(),
                source().alembicVersions(),
                1);

        Comparison comparison = InventoryComparison.compare(source(), target, false);

        assertThat(comparison.passed()).isTrue();
        assertThat(comparison.mismatches()).isEmpty();
        assertThat(comparison.warnings()).isEmpty();
        assertThat(comparison.tables())
                .hasSize(4)
                .allSatisfy(t -> assertThat(t.verdict()).isEqualTo(Verdict.MATCH));
        assertThat(comparison.largeObjects().verdict()).isEqualTo(Verdict.MATCH);
    }

    @Test
    void a_deleted_row_is_a_mismatch_naming_the_table_and_both_counts() {
        List<TableRows> tables = new ArrayList<>(source().tables());
        tables.set(2, new TableRows(TENANT, "chat_message", 199));

        Comparison comparison = InventoryComparison.compare(
                source(),
                with(source(), tables, source().sequences(), 3, source().extensions(), source().alembicVersions()),
                false);

        assertThat(comparison.passed()).isFalse();
        assertThat(comparison.mismatches())
                .containsExactly("table " + TENANT + ".chat_message: 200 rows in the source, 199 on the target");
        assertThat(comparison.tables())
                .filteredOn(t -> t.verdict() == Verdict.MISMATCH)
                .singleElement()
                .satisfies(t -> {
                    assertThat(t.sourceRows()).isEqualTo(200L);
                    assertThat(t.targetRows()).isEqualTo(199L);
                });
    }

    @Test
    void a_missing_table_and_an_extra_one_are_both_mismatches() {
        List<TableRows> tables = new ArrayList<>(source().tables());
        tables.remove(1);
        tables.add(new TableRows("public", "leftover", 7));

        Comparison comparison = InventoryComparison.compare(
                source(),
                with(source(), tables, source().sequences(), 3, source().extensions(), source().alembicVersions()),
                false);

        assertThat(comparison.mismatches())
                .containsExactly(
                        "table public.leftover: on the target (7 rows) but not in the source",
                        "table " + TENANT + ".user: missing on the target (20 rows in the source)");
        assertThat(comparison.tables())
                .filteredOn(t -> t.table().equals(TENANT + ".user"))
                .singleElement()
                .satisfies(t -> assertThat(t.targetRows()).isNull());
    }

    @Test
    void a_follow_base_copy_compares_its_sequences_by_presence_only() {
        List<SequenceValue> behind = List.of(new SequenceValue(TENANT, "chat_message_id_seq", 150L));

        Comparison compared = InventoryComparison.compare(
                InventoryComparison.withoutSequenceValues(source()),
                with(source(), source().tables(), behind, 3, source().extensions(), source().alembicVersions()),
                false);

        assertThat(compared.mismatches()).containsExactly("sequence " + TENANT + ".tool_id_seq: missing on the target");
    }

    @Test
    void a_sequence_behind_the_source_is_a_mismatch_ahead_is_fine_and_never_called_accepts_anything() {
        List<SequenceValue> behind = List.of(
                new SequenceValue(TENANT, "chat_message_id_seq", 150L), new SequenceValue(TENANT, "tool_id_seq", 5L));
        List<SequenceValue> ahead = List.of(
                new SequenceValue(TENANT, "chat_message_id_seq", 250L), new SequenceValue(TENANT, "tool_id_seq", null));

        Comparison failing = InventoryComparison.compare(
                source(),
                with(source(), source().tables(), behind, 3, source().extensions(), source().alembicVersions()),
                false);
        Comparison passing = InventoryComparison.compare(
                source(),
                with(source(), source().tables(), ahead, 3, source().extensions(), source().alembicVersions()),
                false);

        assertThat(failing.mismatches())
                .containsExactly("sequence " + TENANT
                        + ".chat_message_id_seq: behind on the target (150 < 200), new rows would reuse ids");
        assertThat(failing.sequences())
                .extracting(Comparison.SequenceCheck::targetLastValue)
                .containsExactly("150", "5");
        assertThat(passing.passed()).isTrue();
        assertThat(passing.sequences())
                .extracting(Comparison.SequenceCheck::sourceLastValue)
                .containsExactly("200", "not called");
    }

    @Test
    void a_reset_or_missing_sequence_is_a_mismatch() {
        Comparison reset = InventoryComparison.compare(
                source(),
                with(
                        source(),
                        source().tables(),
                        List.of(new SequenceValue(TENANT, "chat_message_id_seq", null)),
                        3,
                        source().extensions(),
                        source().alembicVersions()),
                false);

        assertThat(reset.mismatches())
                .containsExactly(
                        "sequence " + TENANT
                                + ".chat_message_id_seq: behind on the target (not called < 200), new rows would reuse ids",
                        "sequence " + TENANT + ".tool_id_seq: missing on the target");
    }

    @Test
    void large_objects_must_be_as_many() {
        Comparison comparison = InventoryComparison.compare(
                source(),
                with(
                        source(),
                        source().tables(),
                        source().sequences(),
                        2,
                        source().extensions(),
                        source().alembicVersions()),
                false);

        assertThat(comparison.mismatches()).containsExactly("large objects: 3 in the source, 2 on the target");
        assertThat(comparison.largeObjects().verdict()).isEqualTo(Verdict.MISMATCH);
    }

    @Test
    void a_newer_or_extra_extension_is_a_warning_unless_strict_an_older_or_missing_one_a_mismatch() {
        List<Extension> newer = List.of(
                new Extension("pg_trgm", "1.10"), new Extension("pgcrypto", "1.3"), new Extension("uuid-ossp", "1.1"));
        List<Extension> older = List.of(new Extension("pg_trgm", "1.5"));
        Inventory newerTarget =
                with(source(), source().tables(), source().sequences(), 3, newer, source().alembicVersions());

        Comparison lenient = InventoryComparison.compare(source(), newerTarget, false);
        Comparison strict = InventoryComparison.compare(source(), newerTarget, true);
        Comparison downgraded = InventoryComparison.compare(
                source(),
                with(source(), source().tables(), source().sequences(), 3, older, source().alembicVersions()),
                false);

        assertThat(lenient.passed()).isTrue();
        assertThat(lenient.warnings())
                .containsExactly(
                        "extension pg_trgm: 1.6 in the source, 1.10 on the target (newer)",
                        "extension uuid-ossp: 1.1 on the target but not in the source");
        assertThat(lenient.extensions())
                .extracting(Comparison.ExtensionCheck::verdict)
                .containsExactly(Verdict.WARNING, Verdict.MATCH, Verdict.WARNING);
        assertThat(strict.passed()).isFalse();
        assertThat(strict.mismatches()).hasSize(2);
        assertThat(downgraded.mismatches())
                .containsExactly(
                        "extension pg_trgm: 1.6 in the source, 1.5 on the target",
                        "extension pgcrypto: missing on the target (1.3 in the source)");
    }

    static final String CHECK_15 =
            "CHECK (((status)::text = ANY ((ARRAY['PROCESSING'::character varying, 'FAILED'::character varying])::text[])))";
    static final String CHECK_17 =
            "CHECK (((status)::text = ANY (ARRAY[('PROCESSING'::character varying)::text, ('FAILED'::character varying)::text])))";
    static final String STATUS = "constraint public.user_file.ck_user_file_status";

    /** An inventory as this Ferry records it: the prints of reprintable kinds, and the kinds read. */
    static Inventory recorded(SchemaObject... objects) {
        return source().withSchemaObjects(
                        List.of(objects), List.of("constraint", "index", "default", "policy", "function"));
    }

    @Test
    void a_definition_printed_differently_that_the_target_reads_as_the_same_is_a_match_without_a_warning() {
        Inventory source =
                recorded(new SchemaObject("constraint", "public.user_file.ck_user_file_status", "a", CHECK_15));
        Inventory target =
                recorded(new SchemaObject("constraint", "public.user_file.ck_user_file_status", "b", CHECK_17));

        assertThat(InventoryComparison.toProbe(source, target))
                .extracting(SchemaObject::label)
                .containsExactly(STATUS);
        for (boolean sameMajor : List.of(false, true)) {
            Comparison comparison = InventoryComparison.compare(
                    source,
                    target,
                    false,
                    java.util.Set.of(),
                    sameMajor,
                    Map.of(STATUS, new DefinitionProbes.Outcome(STATUS, true, null)));

            assertThat(comparison.mismatches()).isEmpty();
            assertThat(comparison.warnings()).isEmpty();
            assertThat(comparison.schemaObjects().verdict()).isEqualTo(Verdict.MATCH);
        }
    }

    @Test
    void a_definition_the_target_reads_as_another_or_cannot_create_is_a_mismatch_naming_the_object() {
        Inventory source = recorded(
                new SchemaObject("constraint", "public.user_file.ck_user_file_status", "a", CHECK_15),
                new SchemaObject("index", "public.ix_user_file_incognito_sweep", "c", "CREATE INDEX …"));
        Inventory target = recorded(
                new SchemaObject("constraint", "public.user_file.ck_user_file_status", "b", CHECK_17),
                new SchemaObject("index", "public.ix_user_file_incognito_sweep", "d", "CREATE INDEX …"));

        Comparison comparison = InventoryComparison.compare(
                source,
                target,
                false,
                java.util.Set.of(),
                false,
                Map.of(
                        STATUS,
                        new DefinitionProbes.Outcome(STATUS, false, null),
                        "index public.ix_user_file_incognito_sweep",
                        new DefinitionProbes.Outcome(
                                "index public.ix_user_file_incognito_sweep",
                                false,
                                "column \"incognito\" does not exist")));

        assertThat(comparison.mismatches())
                .containsExactly(
                        STATUS + ": differs between the source and the target",
                        "index public.ix_user_file_incognito_sweep: differs between the source and the target (the"
                                + " source's definition does not create on the target: column \"incognito\" does not"
                                + " exist)");
        assertThat(comparison.schemaObjects().verdict()).isEqualTo(Verdict.MISMATCH);
    }

    @Test
    void without_the_sources_print_an_older_manifest_keeps_the_rules_it_had() {
        // An older manifest: md5s only, no kinds listed. A view printed differently by another major stays a
        // warning, a constraint a mismatch; kinds it did not record (defaults, policies) are not compared at all.
        Inventory source = withObjects(
                source(),
                new SchemaObject("view", "public.v", "a"),
                new SchemaObject("constraint", "public.user_file.ck_user_file_status", "a"));
        Inventory target = recorded(
                new SchemaObject("view", "public.v", "b", "SELECT 1;"),
                new SchemaObject("constraint", "public.user_file.ck_user_file_status", "b", CHECK_17),
                new SchemaObject("default", "public.user_file.incognito", "e", "false"),
                new SchemaObject("policy", "public.t.p", "f", "AS PERMISSIVE FOR ALL TO PUBLIC USING (true)"));

        assertThat(InventoryComparison.toProbe(source, target)).isEmpty();
        Comparison comparison = InventoryComparison.compare(source, target, false, java.util.Set.of(), false);

        assertThat(comparison.mismatches()).containsExactly(STATUS + ": differs between the source and the target");
        assertThat(comparison.warnings())
                .singleElement()
                .asString()
                .startsWith("view public.v: its definition prints differently on the target's PostgreSQL major");
        assertThat(comparison.schemaObjects().target()).isEqualTo(2);
    }

    @Test
    void a_kind_the_manifest_recorded_is_compared_both_ways() {
        Inventory source = recorded(new SchemaObject("default", "public.user_file.incognito", "e", "false"));
        Inventory target = recorded(
                new SchemaObject("default", "public.user_file.incognito", "x", "true"),
                new SchemaObject("policy", "public.t.p", "f", "AS PERMISSIVE FOR ALL TO PUBLIC USING (true)"));

        Comparison comparison = InventoryComparison.compare(source, target, false);

        assertThat(comparison.mismatches())
                .containsExactly("default public.user_file.incognito: differs between the source and the target");
        assertThat(comparison.warnings()).containsExactly("policy public.t.p: on the target but not in the source");
    }

    @Test
    void alembic_versions_must_match_per_schema() {
        Map<String, List<String>> alembic = new LinkedHashMap<>(source().alembicVersions());
        alembic.put(TENANT, List.of("ffffffffffff"));
        alembic.remove("public");

        Comparison comparison = InventoryComparison.compare(
                source(),
                with(source(), source().tables(), source().sequences(), 3, source().extensions(), alembic),
                false);

        assertThat(comparison.mismatches())
                .containsExactly(
                        "alembic_version in public: [a1b2c3d4e5f6] in the source, none on the target",
                        "alembic_version in " + TENANT
                                + ": [3c8f4ba6e3f1] in the source, [ffffffffffff] on the target");
    }

    @Test
    void a_missing_tenant_schema_is_a_mismatch() {
        Inventory target = new Inventory(
                List.of("public"),
                source().tables(),
                source().sequences(),
                3,
                source().extensions(),
                source().roles(),
                source().alembicVersions(),
                0);

        Comparison comparison = InventoryComparison.compare(source(), target, false);

        assertThat(comparison.mismatches()).containsExactly("schema " + TENANT + ": missing on the target");
        assertThat(comparison.schemas())
                .extracting(Comparison.SchemaCheck::verdict)
                .containsExactly(Verdict.MATCH, Verdict.MISMATCH);
    }
}
