package dev.ferry.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.manifest.Inventory;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.DumpFormat;
import dev.ferry.core.workspace.JsonCodec;
import dev.ferry.core.workspace.RestoreRecord;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.pg.InventoryReader;
import dev.ferry.pg.PgEndpoint;
import dev.ferry.pg.PgPassfile;
import dev.ferry.pg.PgTool;
import dev.ferry.pg.PgToolRunner;
import dev.ferry.pg.RowHash;
import dev.ferry.pg.TableScan;
import dev.ferry.pg.ToolResult;
import dev.ferry.testing.StepProgram;
import dev.ferry.testing.StepRun;
import dev.ferry.testing.pg.OnyxFixture;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The validate program in its own process against a real PostgreSQL 16 target, with a manifest
 * whose inventory was read from a real PostgreSQL 14 source holding the same Onyx fixture.
 */
class ValidateStepIT {

    static PostgresServer source;
    static PostgresServer target;
    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    static Inventory singleInventory;
    static Inventory multiInventory;

    @TempDir
    Path workdir;

    @BeforeAll
    static void start() throws Exception {
        source = PostgresServer.start(PgMajor.SOURCE);
        target = PostgresServer.start(PgMajor.TARGET);
        OnyxFixture.singleTenant().installInto(source, "onyx");
        OnyxFixture.multiTenant().installInto(source, "onyx_mt");
        try (Connection single = source.connect("onyx");
                Connection multi = source.connect("onyx_mt")) {
            // As dump reads it: counts and content digests (of a PostgreSQL 14 source, checked against 16).
            singleInventory = InventoryReader.withContentDigests().read(single);
            multiInventory = InventoryReader.withContentDigests().read(multi);
        }
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
    }

    /** A target database holding the same fixture, changed by {@code change} before validation. */
    static void targetWith(String database, OnyxFixture fixture, String change) throws SQLException {
        target.createDatabase(database);
        try (Connection c = target.connect(database)) {
            fixture.install(c);
            if (!change.isEmpty()) {
                try (Statement sql = c.createStatement()) {
                    sql.execute(change);
                }
            }
        }
    }

    Map<String, String> settings(String database, Inventory inventory) {
        return settings(database, inventory, null);
    }

    Map<String, String> settings(String database, Inventory inventory, Manifest.DumpSettings dump) {
        Workspace.at(workdir)
                .writeManifest(new Manifest(
                        Manifest.FORMAT_VERSION,
                        "it-" + database,
                        Instant.now(),
                        new Manifest.Source("14.22", 14, database, "15.20"),
                        dump,
                        List.of(),
                        inventory,
                        null,
                        null));
        Map<String, String> settings = new HashMap<>();
        settings.put("FERRY_WORKDIR", workdir.toString());
        settings.put("POSTGRES_HOST", target.host());
        settings.put("POSTGRES_PORT", Integer.toString(target.port()));
        settings.put("POSTGRES_DB", database);
        settings.put("POSTGRES_USER", target.superuser());
        settings.put("POSTGRES_PASSWORD", target.superuserPassword());
        return settings;
    }

    @Test
    void an_equal_single_tenant_target_passes_with_reports_results_and_the_table_printed() throws Exception {
        targetWith("equal_single", OnyxFixture.singleTenant(), "");

        StepRun run = run(settings("equal_single", singleInventory));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.output()).contains("step=validate outcome=done").contains("verdict=passed");
        assertThat(Files.readString(workdir.resolve("report/validation.md")))
                .contains("# Validation passed")
                .contains("| public.chat_message | 600 | 600 | match | match |")
                .contains("| public.user | 40 | 40 | match | match |")
                .containsPattern("\\| schema objects \\| (\\d+) \\| \\1 \\| match \\| match \\|");
        assertThat(singleInventory.schemaObjects())
                .extracting(Inventory.SchemaObject::label)
                .contains(
                        "index public.idx_chat_message_tsv",
                        "constraint public.chat_message.chat_message_chat_session_id_fkey",
                        "trigger public.kg_entity.kg_entity_trigrams");
        assertThat(run.output()).doesNotContain(target.superuserPassword());
        assertThat(Files.readString(workdir.resolve("results/verdict"))).isEqualTo("passed");
        assertThat(Files.readString(workdir.resolve("results/mismatches"))).isEqualTo("0");
        JsonNode json = JsonCodec.mapper()
                .readTree(workdir.resolve("report/validation.json").toFile());
        assertThat(json.get("verdict").asText()).isEqualTo("passed");
        assertThat(json.get("checks").get("tables"))
                .hasSize(singleInventory.tables().size());
        assertThat(json.get("checks").get("largeObjects").get("target").asLong())
                .isEqualTo(singleInventory.largeObjects());
        assertThat(Files.readString(workdir.resolve("report/validation.md")))
                .contains("| public.chat_message | 600 | 600 | match | match |");
    }

    @Test
    void rows_written_after_the_dumps_snapshot_in_a_rehearsal_are_a_warning_in_the_report() throws Exception {
        targetWith("rehearsed", OnyxFixture.singleTenant(), "");
        Manifest.DumpSettings dump = new Manifest.DumpSettings(
                DumpFormat.CUSTOM,
                "1",
                1,
                false,
                new Manifest.Snapshot(
                        "00000004-0000001C-1", List.of(new Manifest.TableWrites("public", "chat_message", 33))));

        StepRun run = run(settings("rehearsed", singleInventory, dump));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        String warning = "33 rows were written to the source after the dump's snapshot and are not in this migration "
                + "(no freeze ran): public.chat_message (33)";
        assertThat(Files.readString(workdir.resolve("report/validation.md")))
                .contains("**0 mismatches, 1 warnings.**")
                .contains("- " + warning);
        assertThat(Files.readString(workdir.resolve("results/warnings"))).isEqualTo("1");
    }

    @Test
    void an_equal_multi_tenant_target_passes() throws Exception {
        targetWith("equal_multi", OnyxFixture.multiTenant(), "");

        StepRun run = run(settings("equal_multi", multiInventory));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(report())
                .contains("| " + OnyxFixture.TENANT_SCHEMAS.get(1) + " | 3c8f4ba6e3f1 | 3c8f4ba6e3f1 | match |");
    }

    @ParameterizedTest
    @ValueSource(strings = {"onyx", "onyx_mt"})
    void a_target_restored_from_14_into_16_by_the_real_tools_passes(String database) throws Exception {
        // Debian's pg_dump 15 reads the 14 source, pg_restore writes into 16: what the restore step runs.
        Path dump = workdir.resolve(database + ".dump");
        try (PgPassfile sourcePass = PgPassfile.write(source.superuser(), source.superuserPassword());
                PgPassfile targetPass = PgPassfile.write(target.superuser(), target.superuserPassword())) {
            ToolResult dumped = tools(source, database, sourcePass)
                    .run(PgTool.PG_DUMP, List.of("-Fc", "--no-password", "--file=" + dump), Duration.ofMinutes(5));
            assertThat(dumped.succeeded()).as(dumped.stderr()).isTrue();
            String restoredDb = "restored_" + database;
            target.createDatabase(restoredDb);
            try (Connection c = target.connect("postgres");
                    Statement sql = c.createStatement()) {
                sql.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'db_readonly_user')"
                        + " THEN CREATE ROLE db_readonly_user; END IF; END $$");
            }
            ToolResult restored = tools(target, restoredDb, targetPass)
                    .run(
                            PgTool.PG_RESTORE,
                            List.of("--no-password", "--dbname=" + restoredDb, "--jobs=2", dump.toString()),
                            Duration.ofMinutes(5));
            assertThat(restored.succeeded()).as(restored.stderr()).isTrue();

            StepRun run = run(settings(restoredDb, database.equals("onyx") ? singleInventory : multiInventory));

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.output()).contains("step=validate outcome=done").contains("verdict=passed");
        }
    }

    /** The Markdown report validate wrote: its tables are what a person reads after a run. */
    String report() throws java.io.IOException {
        return Files.readString(workdir.resolve("report/validation.md"));
    }

    static PgToolRunner tools(PostgresServer server, String database, PgPassfile passfile) {
        PgEndpoint endpoint = new PgEndpoint(
                server.host(),
                server.port(),
                database,
                server.superuser(),
                Optional.of(server.superuserPassword()),
                Optional.empty(),
                Optional.empty());
        return new PgToolRunner(endpoint, Optional.empty(), "TEST_PG_BIN", Optional.of(passfile.path()), "ferry-test");
    }

    @Test
    void a_deleted_row_is_exit_4_naming_the_table() throws Exception {
        targetWith(
                "deleted_row",
                OnyxFixture.singleTenant(),
                "DELETE FROM public.chat_message WHERE id = (SELECT max(id) FROM public.chat_message)");

        StepRun run = run(settings("deleted_row", singleInventory));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.output())
                .contains("exit=4 (verification failed)")
                .contains("1 mismatches, first: table public.chat_message: 600 rows in the source, 599 on the target");
        assertThat(report()).contains("| public.chat_message | 600 | 599 | differs | **mismatch** |");
        assertThat(Files.readString(workdir.resolve("results/verdict"))).isEqualTo("failed");
        assertThat(Files.readString(workdir.resolve("results/mismatches"))).isEqualTo("1");
    }

    @Test
    void changed_content_with_every_count_equal_is_exit_4_naming_what_differs() throws Exception {
        // A chat message's text, a credential's encrypted bytes and one byte of a large object.
        targetWith("changed_content", OnyxFixture.singleTenant(), """
                UPDATE public.chat_message SET message = message || '!' WHERE id = 17;
                UPDATE public.credential SET credential_json = set_byte(credential_json, 3, 65) WHERE id = 2;
                SELECT lo_put(oid, 10, '\\x00'::bytea) FROM pg_largeobject_metadata ORDER BY oid LIMIT 1;
                """);

        StepRun run = run(settings("changed_content", singleInventory));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.output())
                .contains("content=full")
                .contains("table public.chat_message: the same 600 rows in number, but their content differs")
                .contains("table public.credential: the same 8 rows in number, but their content differs")
                .contains("large objects: the same 4 in number, but their bytes, owners or grants differ");
        assertThat(Files.readString(workdir.resolve("report/validation.md")))
                .contains("| public.chat_message | 600 | 600 | differs | **mismatch** |")
                .contains("| public.user | 40 | 40 | match | match |");
    }

    @Test
    void a_manifest_whose_rows_were_hashed_by_md5_as_older_dumps_did_is_checked_the_same_way() throws Exception {
        Inventory olderDump;
        try (Connection c = source.connect("onyx")) {
            olderDump = new InventoryReader(TableScan.FULL_AND_SAMPLE.hashingRowsBy(RowHash.MD5)).read(c);
        }
        assertThat(olderDump.tables())
                .extracting(Inventory.TableRows::contentDigest)
                .allMatch(digest -> digest.matches("\\p{XDigit}{32}"));
        assertThat(singleInventory.tables())
                .extracting(Inventory.TableRows::contentDigest)
                .allMatch(digest -> digest.matches("h64x2:\\p{XDigit}{32}"));
        targetWith("older_equal", OnyxFixture.singleTenant(), "");
        targetWith(
                "older_changed",
                OnyxFixture.singleTenant(),
                "UPDATE public.chat_message SET message = message || '!' WHERE id = 17");

        StepRun equal = run(settings("older_equal", olderDump));
        StepRun changed = run(settings("older_changed", olderDump));

        assertThat(equal.exitCode()).as(equal.toString()).isZero();
        assertThat(changed.exitCode()).as(changed.toString()).isEqualTo(4);
        assertThat(changed.output())
                .contains("table public.chat_message: the same 600 rows in number, but their content differs");
    }

    @Test
    void a_dropped_index_and_a_dropped_trigger_are_exit_4_naming_them() throws Exception {
        targetWith("dropped_objects", OnyxFixture.singleTenant(), """
                DROP INDEX public.idx_chat_message_tsv;
                DROP TRIGGER kg_entity_trigrams ON public.kg_entity;
                CREATE INDEX ferry_test_extra ON public.tool (name);
                """);

        StepRun run = run(settings("dropped_objects", singleInventory));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.output())
                .contains("index public.idx_chat_message_tsv: missing on the target")
                .contains("trigger public.kg_entity.kg_entity_trigrams: missing on the target")
                .doesNotContain("index public.ferry_test_extra: missing");
        assertThat(Files.readString(workdir.resolve("report/validation.md")))
                .contains("index public.ferry_test_extra: on the target but not in the source")
                .containsPattern("\\| schema objects \\| \\d+ \\| \\d+ \\| differs \\| \\*\\*mismatch\\*\\* \\|");
        assertThat(Files.readString(workdir.resolve("results/mismatches"))).isEqualTo("2");
    }

    @Test
    void the_read_only_role_without_usage_on_its_schema_is_exit_4() throws Exception {
        targetWith(
                "revoked_usage",
                OnyxFixture.singleTenant(),
                "REVOKE USAGE ON SCHEMA public FROM " + OnyxFixture.READONLY_ROLE);

        StepRun run = run(settings("revoked_usage", singleInventory));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.output()).contains("grant schema public to db_readonly_user: missing on the target");
        assertThat(Files.readString(workdir.resolve("results/mismatches"))).isEqualTo("1");
    }

    @Test
    void a_login_role_that_cannot_log_in_on_the_target_is_exit_4_unless_restore_reported_it() throws Exception {
        targetWith("nologin", OnyxFixture.singleTenant(), "ALTER ROLE " + OnyxFixture.READONLY_ROLE + " NOLOGIN");
        try {
            StepRun run = run(settings("nologin", singleInventory));

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
            assertThat(run.output()).contains("role db_readonly_user: LOGIN in the source, NOLOGIN on the target");

            // restore said it had no password for the role: the operator is told, Onyx is not blocked.
            Workspace.at(workdir)
                    .writeRestoreRecord(new RestoreRecord(
                            "it-nologin", "nologin", false, false, Instant.now(), List.of(OnyxFixture.READONLY_ROLE)));
            StepRun reported = run(settings("nologin", singleInventory));

            assertThat(reported.exitCode()).as(reported.toString()).isZero();
            assertThat(Files.readString(workdir.resolve("report/validation.md")))
                    .contains("role db_readonly_user: logs in on the source, but restore had no password for it");
        } finally {
            try (Connection admin = target.connect("postgres");
                    Statement sql = admin.createStatement()) {
                sql.execute("ALTER ROLE " + OnyxFixture.READONLY_ROLE + " LOGIN");
            }
        }
    }

    @Test
    void after_a_restore_without_owners_owners_and_grants_are_not_compared() throws Exception {
        targetWith("no_owner", OnyxFixture.singleTenant(), """
                REVOKE ALL ON ALL TABLES IN SCHEMA public FROM db_readonly_user;
                REVOKE USAGE ON SCHEMA public FROM db_readonly_user;
                """);
        Map<String, String> settings = settings("no_owner", singleInventory);
        Workspace.at(workdir)
                .writeRestoreRecord(new RestoreRecord("it-no_owner", "no_owner", true, false, Instant.now()));

        StepRun run = run(settings);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.readString(workdir.resolve("report/validation.md")))
                .contains("owners and grants: not compared, the restore ran with FERRY_RESTORE_NO_OWNER=true");
    }

    @Test
    void counts_only_lets_changed_content_pass_and_says_so() throws Exception {
        targetWith(
                "counts_only",
                OnyxFixture.singleTenant(),
                "UPDATE public.chat_message SET message = 'x' WHERE id = 17");
        StepRun run = run(comparing("counts", settings("counts_only", singleInventory)));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.output()).contains("content=counts");
        assertThat(Files.readString(workdir.resolve("report/validation.md")))
                .contains("| public.chat_message | 600 | 600 | not compared | match |");
    }

    /** The id of a chat message in dump's sample (its id's md5 starts with 0), or not. */
    static long chatMessage(boolean sampled) throws SQLException {
        try (Connection c = source.connect("onyx");
                Statement sql = c.createStatement();
                java.sql.ResultSet rs = sql.executeQuery(
                        "SELECT min(id) FROM public.chat_message t WHERE (left(md5(ROW(t.id)::text), 1) = '0') = "
                                + sampled)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void sample_catches_a_changed_row_it_samples_and_passes_one_it_does_not_where_full_catches_both() throws Exception {
        long sampled = chatMessage(true);
        long unsampled = chatMessage(false);
        assertThat(singleInventory.tables())
                .filteredOn(t -> t.name().equals("chat_message"))
                .singleElement()
                .satisfies(t -> assertThat(t.sample().key()).containsExactly("id"));
        targetWith("sampled", OnyxFixture.singleTenant(), "");
        targetWith(
                "sampled_row",
                OnyxFixture.singleTenant(),
                "UPDATE public.chat_message SET message = 'x' WHERE id = " + sampled);
        targetWith(
                "unsampled_row",
                OnyxFixture.singleTenant(),
                "UPDATE public.chat_message SET message = 'x' WHERE id = " + unsampled);

        StepRun passes = run(comparing("sample", settings("sampled", singleInventory)));
        assertThat(passes.exitCode()).as(passes.toString()).isZero();
        assertThat(passes.output()).contains("content=sample");
        assertThat(Files.readString(workdir.resolve("report/validation.md")))
                .contains("compared the content of one row in 16 of each table")
                .contains("| public.chat_message | 600 | 600 | match | match |");

        StepRun caught = run(comparing("sample", settings("sampled_row", singleInventory)));
        assertThat(caught.exitCode()).as(caught.toString()).isEqualTo(4);
        assertThat(caught.output())
                .contains("table public.chat_message: the same 600 rows in number, but their content differs");

        Map<String, String> changedUnsampled = settings("unsampled_row", singleInventory);
        assertThat(run(comparing("sample", changedUnsampled)).exitCode()).isZero();
        assertThat(run(comparing("full", changedUnsampled)).exitCode()).isEqualTo(4);
    }

    @Test
    void
            a_changed_function_a_dropped_view_and_a_changed_sequence_are_exit_4_a_view_printed_differently_by_another_major_a_warning()
                    throws Exception {
        String views = """
                CREATE VIEW public.ferry_recent_sessions AS SELECT id, user_id FROM public.chat_session WHERE user_id IS NOT NULL;
                CREATE VIEW public.ferry_session_count AS SELECT count(*) AS sessions FROM public.chat_session;
                """;
        Inventory withViews;
        source.createDatabase("onyx_views");
        try (Connection c = source.connect("onyx_views")) {
            OnyxFixture.singleTenant().install(c);
            try (Statement sql = c.createStatement()) {
                sql.execute(views);
            }
            withViews = InventoryReader.withContentDigests().read(c);
        }
        assertThat(withViews.schemaObjects())
                .extracting(Inventory.SchemaObject::label)
                .contains(
                        "view public.ferry_recent_sessions",
                        "function public.update_kg_entity_trigrams()",
                        "sequence public.chat_message_id_seq");
        // Each major prints a view's parse tree its own way: that alone is a warning, never a mismatch.
        withViews = withViews.withSchemaObjects(withViews.schemaObjects().stream()
                .map(o -> o.name().equals("public.ferry_session_count")
                        ? new Inventory.SchemaObject(o.kind(), o.name(), "printed-by-another-major")
                        : o)
                .toList());
        targetWith("changed_definitions", OnyxFixture.singleTenant(), views + """
                DROP VIEW public.ferry_recent_sessions;
                CREATE OR REPLACE FUNCTION public.update_kg_entity_trigrams() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RETURN NEW; END $$;
                ALTER SEQUENCE public.chat_message_id_seq INCREMENT BY 2;
                """);

        StepRun run = run(settings("changed_definitions", withViews));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.output())
                .contains("function public.update_kg_entity_trigrams(): differs between the source and the target");
        assertThat(Files.readString(workdir.resolve("report/validation.md")))
                .contains("- view public.ferry_recent_sessions: missing on the target")
                .contains("- owner relation public.ferry_recent_sessions: missing on the target")
                .contains("- sequence public.chat_message_id_seq: differs between the source and the target")
                .contains(
                        "view public.ferry_session_count: its definition prints differently on the target's PostgreSQL"
                                + " major version");
        assertThat(Files.readString(workdir.resolve("results/mismatches"))).isEqualTo("4");
    }

    @Test
    void the_report_predicts_the_outage_from_the_steps_timeline_and_draws_it() throws Exception {
        targetWith("predicted", OnyxFixture.singleTenant(), "");
        Map<String, String> settings = settings("predicted", singleInventory);
        settings.put("FERRY_VALIDATE_PREDICT_SCALE_UP", "90s");
        Workspace workspace = Workspace.at(workdir);
        Instant t0 = Instant.now().minusSeconds(120);
        // The export side travelled in the manifest; download and restore ran in this workspace.
        Manifest manifest = workspace.readManifest();
        workspace.writeManifest(manifest.withTimeline(List.of(
                new dev.ferry.core.manifest.PhaseTiming("dump", manifest.migrationId(), t0, t0.plusSeconds(20), 50),
                new dev.ferry.core.manifest.PhaseTiming(
                        "upload", manifest.migrationId(), t0.plusSeconds(25), t0.plusSeconds(35), 50))));
        workspace.recordPhase(new dev.ferry.core.manifest.PhaseTiming(
                "download", manifest.migrationId(), t0.plusSeconds(40), t0.plusSeconds(50), 50));
        workspace.recordPhase(new dev.ferry.core.manifest.PhaseTiming(
                "restore", manifest.migrationId(), t0.plusSeconds(55), t0.plusSeconds(100), 50));
        workspace.recordPhase(new dev.ferry.core.manifest.PhaseTiming(
                "restore", "another-migration", t0.minusSeconds(900), t0.minusSeconds(100), 50));

        StepRun run = run(settings);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        String predicted = Files.readString(workdir.resolve("results/predicted-downtime"));
        long seconds = Long.parseLong(Files.readString(workdir.resolve("results/predicted-downtime-seconds")));
        // 30 s freeze + 20 + 10 + 10 + 45 measured + 15 s between them + validate + 60 s alembic + 90 s scale-up
        assertThat(seconds).isBetween(280L, 320L);
        assertThat(predicted).isEqualTo(OutagePrediction.humanDuration(seconds)).matches("\\d min \\d\\d s");
        assertThat(run.output()).contains("phase=predict predicted_downtime=\"" + predicted + "\"");
        String md = Files.readString(workdir.resolve("report/validation.md"));
        assertThat(md.substring(0, md.indexOf("Migration `")))
                .contains("| **Outage** | predicted **" + predicted + "**: freeze 30.0 s (assumed), dump 20.0 s,"
                        + " upload 10.0 s, download 10.0 s, restore 45.0 s, validate ")
                .contains("scale-up 1 min 30 s (assumed), between steps ")
                .contains("](timeline.svg)");
        assertThat(Files.readString(workdir.resolve("report/timeline.svg")))
                .startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
                .contains("restore: 45.0 s, measured");
        assertThat(workspace.readTimeline())
                .extracting(dev.ferry.core.manifest.PhaseTiming::step)
                .contains("validate");
    }

    @Test
    void a_missing_tenant_table_is_exit_4() throws Exception {
        String tenant = OnyxFixture.TENANT_SCHEMAS.get(0);
        targetWith("missing_table", OnyxFixture.multiTenant(), "DROP TABLE \"" + tenant + "\".tool");

        StepRun run = run(settings("missing_table", multiInventory));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(report()).contains("table " + tenant + ".tool: missing on the target (0 rows in the source)");
    }

    @Test
    void a_sequence_behind_the_source_is_exit_4() throws Exception {
        targetWith("sequence_behind", OnyxFixture.singleTenant(), "SELECT setval('public.connector_id_seq', 5)");

        StepRun run = run(settings("sequence_behind", singleInventory));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(report()).contains("sequence public.connector_id_seq: behind on the target (5 < 1001)");
    }

    @Test
    void a_wrong_password_is_exit_2_naming_the_setting() throws Exception {
        targetWith("wrong_password", OnyxFixture.singleTenant(), "");
        Map<String, String> settings = settings("wrong_password", singleInventory);
        settings.put("POSTGRES_PASSWORD", "nope-not-it");

        StepRun run = run(settings);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.output()).contains("check POSTGRES_USER and POSTGRES_PASSWORD");
        assertThat(run.output()).doesNotContain("nope-not-it");
    }

    @Test
    void a_missing_manifest_is_exit_4() throws Exception {
        Map<String, String> settings = settings("no_manifest", singleInventory);
        Files.delete(workdir.resolve("manifest.json"));

        StepRun run = run(settings);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.output()).contains("no manifest at " + workdir.resolve("manifest.json"));
    }

    /** {@code settings} with FERRY_VALIDATE_CONTENT set to {@code content}. */
    static Map<String, String> comparing(String content, Map<String, String> settings) {
        settings.put("FERRY_VALIDATE_CONTENT", content);
        return settings;
    }

    /** The step program in its own process, as a pipeline runs it. */
    static StepRun run(Map<String, String> settings) {
        return StepProgram.at(JAR).run(settings, Duration.ofMinutes(3));
    }
}
