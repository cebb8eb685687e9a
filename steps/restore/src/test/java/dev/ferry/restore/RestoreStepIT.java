package dev.ferry.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.ferry.core.SecretFolder;
import dev.ferry.core.manifest.Inventory;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.pg.InventoryReader;
import dev.ferry.testing.StepProgram;
import dev.ferry.testing.StepRun;
import dev.ferry.testing.pg.OnyxFixture;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore program as a pipeline runs it (its own process, env vars only) against real servers:
 * an Onyx-shaped source on PostgreSQL 14 dumped with Debian's pg_dump 15, restored into 16.
 */
class RestoreStepIT {

    static PostgresServer source;
    static PostgresServer target;
    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    static Path singleDump;
    static Path multiDump;
    static Manifest singleManifest;
    static Manifest multiManifest;

    @TempDir
    static Path dumps;

    @TempDir
    Path results;

    @BeforeAll
    static void dumpTheSource() throws Exception {
        source = PostgresServer.start(PgMajor.SOURCE);
        target = PostgresServer.start(PgMajor.TARGET);
        OnyxFixture.singleTenant().installInto(source, "onyx");
        OnyxFixture.multiTenant().installInto(source, "onyx_mt");
        singleDump = dumps.resolve("single");
        multiDump = dumps.resolve("multi");
        singleManifest = SourceDump.write(singleDump, source, "onyx", true);
        multiManifest = SourceDump.write(multiDump, source, "onyx_mt", false);
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

    Map<String, String> settings(PostgresServer server, Path workdir, String database) {
        Map<String, String> settings = new HashMap<>();
        settings.put("FERRY_WORKDIR", workdir.toString());
        settings.put("FERRY_RESULTS_DIR", results.toString());
        settings.put("POSTGRES_HOST", server.host());
        settings.put("POSTGRES_PORT", Integer.toString(server.port()));
        settings.put("POSTGRES_DB", database);
        settings.put("POSTGRES_USER", server.superuser());
        settings.put("POSTGRES_PASSWORD", server.superuserPassword());
        return settings;
    }

    @Test
    void restores_the_single_tenant_dump_into_a_new_database_equal_to_the_source() throws Exception {
        StepRun run = run(settings(target, singleDump, "onyx_restored"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.output())
                .contains("step=restore outcome=done")
                .contains("database=onyx_restored created=true")
                .contains("progress phase=pg_restore subject=onyx_restored")
                .contains("done=true")
                .doesNotContain(target.superuserPassword());
        assertThat(Files.readString(results.resolve("database"))).isEqualTo("onyx_restored");
        assertThat(Files.readString(results.resolve("database-created"))).isEqualTo("true");
        assertThat(Files.readString(results.resolve("benign-errors"))).matches("\\d+");
        assertSameContents("onyx", "onyx_restored", singleManifest);
        assertReadonlyRoleCanRead(target, "onyx_restored", "public.chat_message");
        // vacuumdb --analyze-in-stages ran: every table has planner statistics from an explicit ANALYZE.
        assertThat(run.output()).containsPattern("phase=analyze jobs=\\d+ seconds=");
        assertThat(scalar(
                        target, "onyx_restored", "SELECT count(*) FROM pg_stat_user_tables WHERE last_analyze IS NULL"))
                .isEqualTo("0");
        assertThat(run.output()).contains("phase=bulk_load").contains("synchronous_commit=off");
    }

    @Test
    void split_tables_load_over_several_sessions_into_the_same_database_as_one_pg_restore() throws Exception {
        // Every table of at least one byte is split: each one's rows go over two psql sessions.
        Map<String, String> settings = settings(target, singleDump, "onyx_split");
        settings.put("FERRY_RESTORE_SPLIT_TABLES_LARGER_THAN", "1");
        settings.put("FERRY_RESTORE_JOBS", "2");
        Map<String, String> whole = settings(target, singleDump, "onyx_whole");
        whole.put("FERRY_RESTORE_SPLIT_TABLES_LARGER_THAN", "0");
        whole.put("FERRY_RESTORE_JOBS", "2");

        List<Path> secretFoldersBefore = secretFolders();
        StepRun split = run(settings);
        StepRun single = run(whole);

        assertThat(split.exitCode()).as(split.toString()).isZero();
        assertThat(single.exitCode()).as(single.toString()).isZero();
        assertThat(split.output())
                .contains("phase=pg_restore part=pre-data")
                .contains("phase=pg_restore part=post-data")
                .containsPattern("part=split table=public\\.chat_message streams=2 rows="
                        + OnyxFixture.singleTenant().chatMessages() + " ")
                .contains("progress phase=pg_restore subject=onyx_split");
        assertThat(single.output()).contains("phase=pg_restore part=all").doesNotContain("part=split");
        assertSameContents("onyx", "onyx_split", singleManifest);
        assertReadonlyRoleCanRead(target, "onyx_split", "public.chat_message");
        // Sections restore every object one pg_restore does: indexes, constraints, triggers, grants, comments.
        assertThat(SchemaText.of(target, "onyx_split"))
                .contains("USING gin (message_tsv)", "FOREIGN KEY", "kg_entity_trigrams", "db_readonly_user=r")
                .isEqualTo(SchemaText.of(target, "onyx_whole"));
        assertThat(secretFolders())
                .as("the private folder with the list files and the passfile is gone")
                .isEqualTo(secretFoldersBefore);
    }

    private static List<Path> secretFolders() throws IOException {
        try (Stream<Path> all = Files.list(SecretFolder.parent())) {
            return all.filter(f -> f.getFileName().toString().startsWith("ferry-"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void a_table_of_many_blocks_loads_whole_over_the_sessions(@TempDir Path bigDump) throws Exception {
        // 20,000 messages: several MiB of COPY text, so blocks are cut, queued and their buffers reused.
        OnyxFixture.singleTenant().withChatMessages(20_000).installInto(source, "onyx_blocks");
        Manifest manifest = SourceDump.write(bigDump, source, "onyx_blocks", false);
        Map<String, String> settings = settings(target, bigDump, "onyx_blocks");
        settings.put("FERRY_RESTORE_SPLIT_TABLES_LARGER_THAN", "1M");
        settings.put("FERRY_RESTORE_JOBS", "3");

        StepRun run = run(settings);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.output()).contains("part=split table=public.chat_message streams=3 rows=20000 ");
        try (Connection restored = target.connect("onyx_blocks");
                Connection original = source.connect("onyx_blocks")) {
            assertThat(DatabaseContents.tableDigests(restored, manifest.inventory()))
                    .isEqualTo(DatabaseContents.tableDigests(original, manifest.inventory()));
        }
    }

    @Test
    void a_split_table_whose_rows_the_target_refuses_is_exit_4_naming_the_error() throws Exception {
        // A CHECK the source's rows break, added on the target between the sections: the split COPY must fail.
        Map<String, String> settings = settings(target, singleDump, "onyx_split_refused");
        settings.put("FERRY_RESTORE_SPLIT_TABLES_LARGER_THAN", "1");
        settings.put("FERRY_RESTORE_JOBS", "2");
        try (Connection c = target.connect("postgres");
                Statement sql = c.createStatement()) {
            sql.execute("CREATE DATABASE onyx_split_refused");
        }
        try (Connection c = target.connect("onyx_split_refused");
                Statement sql = c.createStatement()) {
            // An event trigger adds the CHECK as soon as pre-data creates the table.
            sql.execute("""
                    CREATE FUNCTION public.refuse_long_messages() RETURNS event_trigger LANGUAGE plpgsql AS $$
                    BEGIN
                      IF to_regclass('public.chat_message') IS NOT NULL AND NOT EXISTS (
                          SELECT 1 FROM pg_constraint WHERE conname = 'ferry_test_short') THEN
                        ALTER TABLE public.chat_message ADD CONSTRAINT ferry_test_short CHECK (length(message) < 60);
                      END IF;
                    END $$""");
            sql.execute("CREATE EVENT TRIGGER ferry_test_refuse ON ddl_command_end"
                    + " EXECUTE FUNCTION public.refuse_long_messages()");
        }
        settings.put("FERRY_RESTORE_CLEAN", "false");

        StepRun run = run(settings);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.output())
                .contains("step=restore outcome=failed exit=4")
                .contains("loading the data of public.chat_message failed")
                .contains("ferry_test_short");
    }

    @Test
    void without_analyze_no_table_is_analyzed_by_the_step() throws Exception {
        Map<String, String> settings = settings(target, singleDump, "onyx_unanalyzed");
        settings.put("FERRY_RESTORE_ANALYZE", "false");
        settings.put("FERRY_RESTORE_JOBS", "1");
        settings.put("FERRY_RESTORE_MAINTENANCE_WORK_MEM", "96M");

        StepRun run = run(settings);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.output()).doesNotContain("phase=analyze").contains("maintenance_work_mem=96.0MiB");
        assertThat(scalar(
                        target,
                        "onyx_unanalyzed",
                        "SELECT count(*) FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL"))
                .isEqualTo("0");
        assertSameContents("onyx", "onyx_unanalyzed", singleManifest);
    }

    @Test
    void restores_the_multi_tenant_dump_creating_the_roles_it_references() throws Exception {
        // A fresh server: it lacks db_readonly_user, and this dump carries no globals.sql.
        try (PostgresServer fresh = PostgresServer.start(PgMajor.TARGET)) {
            assertThat(roleExists(fresh, OnyxFixture.READONLY_ROLE)).isFalse();

            StepRun run = run(settings(fresh, multiDump, "onyx_mt"));

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.output())
                    .contains("created=db_readonly_user login=false")
                    .contains("phase=roles role=db_readonly_user login=false warning=\"logs in on the source, but no "
                            + "password travelled");
            assertThat(Files.readString(results.resolve("login-roles-without-password")))
                    .isEqualTo(OnyxFixture.READONLY_ROLE);
            assertThat(Workspace.at(multiDump).readRestoreRecord().orElseThrow().loginRolesWithoutPassword())
                    .containsExactly(OnyxFixture.READONLY_ROLE);
            try (Connection restored = fresh.connect("onyx_mt");
                    Connection original = source.connect("onyx_mt")) {
                assertThat(DatabaseContents.tableDigests(restored, multiManifest.inventory()))
                        .isEqualTo(DatabaseContents.tableDigests(original, multiManifest.inventory()));
                assertThat(DatabaseContents.largeObjectDigests(restored))
                        .isEqualTo(DatabaseContents.largeObjectDigests(original))
                        .hasSize(2 * OnyxFixture.multiTenant().largeObjectsPerSchema());
                assertComparableInventory(new InventoryReader().read(restored), multiManifest.inventory());
            }
            assertReadonlyRoleCanRead(fresh, "onyx_mt", "\"" + OnyxFixture.TENANT_SCHEMAS.get(0) + "\".chat_message");
        }
    }

    @Test
    void the_read_only_role_logs_in_with_its_source_password_when_globals_sql_carried_it() throws Exception {
        // A fresh server: the role comes from the superuser's globals.sql, with its SCRAM hash.
        try (PostgresServer fresh = PostgresServer.start(PgMajor.TARGET)) {
            StepRun run = run(settings(fresh, singleDump, "onyx"));

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.output()).contains("phase=roles role=db_readonly_user login=true password=from_globals_sql");
            assertThat(Files.readString(results.resolve("login-roles-without-password")))
                    .isEmpty();
            try (Connection asOnyx = fresh.connect("onyx", OnyxFixture.READONLY_ROLE, OnyxFixture.READONLY_PASSWORD)) {
                assertThat(asOnyx.isValid(5)).isTrue();
            }
        }
    }

    @Test
    void without_globals_the_read_only_secret_gives_the_created_role_login_and_its_password() throws Exception {
        String fromSecret = "from-the-onyx-dbreadonly-Secret-7";
        try (PostgresServer fresh = PostgresServer.start(PgMajor.LATEST)) {
            Map<String, String> settings = settings(fresh, multiDump, "onyx_mt");
            settings.put("FERRY_RESTORE_READONLY_USER", OnyxFixture.READONLY_ROLE);
            settings.put("FERRY_RESTORE_READONLY_PASSWORD", fromSecret);

            StepRun run = run(settings);

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.output())
                    .contains("role=db_readonly_user login=true password=from_FERRY_RESTORE_READONLY_PASSWORD")
                    .doesNotContain(fromSecret);
            try (Connection asOnyx = fresh.connect("onyx_mt", OnyxFixture.READONLY_ROLE, fromSecret)) {
                assertThat(asOnyx.isValid(5)).isTrue();
            }
        }
    }

    @Test
    void a_role_the_target_already_has_is_never_altered() throws Exception {
        try (PostgresServer fresh = PostgresServer.start(PgMajor.TARGET)) {
            try (Connection admin = fresh.connect("postgres");
                    Statement sql = admin.createStatement()) {
                sql.execute("CREATE ROLE db_readonly_user LOGIN PASSWORD 'the-targets-own'");
            }
            Map<String, String> settings = settings(fresh, singleDump, "onyx");
            settings.put("FERRY_RESTORE_READONLY_USER", OnyxFixture.READONLY_ROLE);
            settings.put("FERRY_RESTORE_READONLY_PASSWORD", "not-to-be-used");

            StepRun run = run(settings);

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.output()).contains("role=db_readonly_user login=as_on_the_target");
            try (Connection asOnyx = fresh.connect("onyx", OnyxFixture.READONLY_ROLE, "the-targets-own")) {
                assertThat(asOnyx.isValid(5)).isTrue();
            }
        }
    }

    @Test
    void refuses_a_non_empty_target_with_exit_3_and_replaces_it_when_told_to_clean() throws Exception {
        assertThat(run(settings(target, singleDump, "onyx_twice")).exitCode()).isZero();
        try (Connection c = target.connect("onyx_twice");
                Statement sql = c.createStatement()) {
            sql.execute("DELETE FROM public.chat_message WHERE id % 10 = 0");
        }

        StepRun again = run(settings(target, singleDump, "onyx_twice"));

        assertThat(again.exitCode()).as(again.toString()).isEqualTo(3);
        assertThat(again.output())
                .contains("exit=3 (refused by a safety precondition)")
                .contains("target database \"onyx_twice\" already holds")
                .contains("FERRY_RESTORE_CLEAN=true");

        Map<String, String> clean = settings(target, singleDump, "onyx_twice");
        clean.put("FERRY_RESTORE_CLEAN", "true");
        StepRun cleaned = run(clean);

        assertThat(cleaned.exitCode()).as(cleaned.toString()).isZero();
        assertSameContents("onyx", "onyx_twice", singleManifest);
    }

    @Test
    void a_corrupted_dump_is_exit_4_and_the_target_is_not_touched(@TempDir Path copy) throws Exception {
        copyFolder(singleDump, copy);
        Path dump = copy.resolve(SourceDump.DUMP_FILE);
        byte[] bytes = Files.readAllBytes(dump);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(dump, bytes);

        StepRun run = run(settings(target, copy, "onyx_corrupt"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.output())
                .contains("exit=4 (verification failed)")
                .contains("does not match its manifest, nothing was restored")
                .contains(SourceDump.DUMP_FILE + " has SHA-256 ");
        assertThat(databaseExists(target, "onyx_corrupt")).isFalse();
    }

    @Test
    void a_missing_artifact_is_exit_4(@TempDir Path copy) throws Exception {
        copyFolder(singleDump, copy);
        Files.delete(copy.resolve(SourceDump.GLOBALS_FILE));

        StepRun run = run(settings(target, copy, "onyx_incomplete"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.output()).contains("globals.sql is missing");
        assertThat(databaseExists(target, "onyx_incomplete")).isFalse();
    }

    @Test
    void a_missing_manifest_is_exit_4(@TempDir Path empty) throws Exception {
        StepRun run = run(settings(target, empty, "onyx_nothing"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.output()).contains("no manifest at " + empty.resolve("manifest.json"));
    }

    @Test
    void a_boolean_setting_that_is_neither_true_nor_false_is_exit_2_and_restores_nothing() throws Exception {
        Map<String, String> settings = settings(target, singleDump, "onyx_maybe_clean");
        settings.put("FERRY_RESTORE_CLEAN", "maybe");

        StepRun run = run(settings);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.output().lines().reduce((first, second) -> second).orElse(""))
                .isEqualTo("step=restore outcome=failed exit=2 (bad configuration): FERRY_RESTORE_CLEAN is \"maybe\": "
                        + "use true or false");
        try (Connection admin = target.connect("postgres");
                java.sql.PreparedStatement exists =
                        admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, "onyx_maybe_clean");
            assertThat(exists.executeQuery().next()).as("database created").isFalse();
        }
    }

    @Test
    void a_wrong_target_password_is_exit_2_naming_the_setting() throws Exception {
        Map<String, String> settings = settings(target, singleDump, "onyx_wrong_pw");
        settings.put("POSTGRES_PASSWORD", "not-the-password");

        StepRun run = run(settings);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.output())
                .contains("exit=2 (bad configuration)")
                .contains("rejected the login of user \"postgres\": check POSTGRES_USER and POSTGRES_PASSWORD");
        assertThat(run.output()).doesNotContain("not-the-password");
    }

    @Test
    void pg_restore_errors_fail_the_step_with_exit_4_listing_them() throws Exception {
        // No user table, so not refused; but an object the dump also creates: pg_restore must report it.
        target.createDatabase("onyx_conflict");
        try (Connection c = target.connect("onyx_conflict");
                Statement sql = c.createStatement()) {
            sql.execute("CREATE FUNCTION public.update_kg_entity_trigrams() RETURNS trigger LANGUAGE plpgsql"
                    + " AS $$ BEGIN RETURN NEW; END $$");
        }

        StepRun run = run(settings(target, singleDump, "onyx_conflict"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.output())
                .contains("pg_restore reported 1 errors")
                .contains("function \"update_kg_entity_trigrams\" already exists with same argument types");
    }

    @Test
    void no_owner_restores_as_a_plain_role_owning_everything() throws Exception {
        target.createLoginRole("onyx_app", "app-secret", "CREATEDB");
        Map<String, String> settings = settings(target, singleDump, "onyx_app_owned");
        settings.put("POSTGRES_USER", "onyx_app");
        settings.put("POSTGRES_PASSWORD", "app-secret");
        settings.put("FERRY_RESTORE_NO_OWNER", "true");
        settings.put("FERRY_RESTORE_JOBS", "1");

        StepRun run = run(settings);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.output()).contains("phase=roles skipped=true");
        // validate reads it: without owners and grants there are none to compare.
        assertThat(Workspace.at(singleDump).readRestoreRecord())
                .hasValueSatisfying(record -> assertThat(record.noOwner()).isTrue())
                .hasValueSatisfying(record -> assertThat(record.database()).isEqualTo("onyx_app_owned"));
        try (Connection restored = target.connect("onyx_app_owned");
                Statement sql = restored.createStatement();
                ResultSet owners =
                        sql.executeQuery("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")) {
            assertThat(owners.next()).isTrue();
            assertThat(owners.getString(1)).isEqualTo("onyx_app");
            assertThat(owners.next()).isFalse();
        }
        assertSameContents("onyx", "onyx_app_owned", singleManifest);
    }

    private void assertSameContents(String sourceDb, String targetDb, Manifest manifest) throws SQLException {
        try (Connection restored = target.connect(targetDb);
                Connection original = source.connect(sourceDb)) {
            Map<String, String> expected = DatabaseContents.tableDigests(original, manifest.inventory());
            assertThat(expected).containsKey("public.chat_message");
            assertThat(DatabaseContents.tableDigests(restored, manifest.inventory()))
                    .isEqualTo(expected);
            assertThat(DatabaseContents.largeObjectDigests(restored))
                    .isEqualTo(DatabaseContents.largeObjectDigests(original))
                    .hasSize(OnyxFixture.singleTenant().largeObjectsPerSchema());
            assertComparableInventory(new InventoryReader().read(restored), manifest.inventory());
        }
    }

    /** What validate compares: equal except the size on disk, which a new server lays out differently. */
    private static void assertComparableInventory(Inventory restored, Inventory original) {
        assertThat(restored.schemas()).isEqualTo(original.schemas());
        assertThat(restored.tables())
                .extracting(Inventory.TableRows::qualifiedName, Inventory.TableRows::rows)
                .isEqualTo(original.tables().stream()
                        .map(table -> tuple(table.qualifiedName(), table.rows()))
                        .toList());
        assertThat(restored.sequences()).isEqualTo(original.sequences());
        assertThat(restored.largeObjects()).isEqualTo(original.largeObjects());
        assertThat(restored.extensions()).isEqualTo(original.extensions());
        assertThat(restored.alembicVersions()).isEqualTo(original.alembicVersions());
    }

    private static void assertReadonlyRoleCanRead(PostgresServer server, String database, String table)
            throws SQLException {
        try (Connection c = server.connect(database);
                Statement sql = c.createStatement();
                ResultSet rs =
                        sql.executeQuery("SELECT has_table_privilege('" + OnyxFixture.READONLY_ROLE + "', '" + table
                                + "', 'SELECT'), has_schema_privilege('" + OnyxFixture.READONLY_ROLE
                                + "', (SELECT n.nspname FROM pg_class c"
                                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = '" + table
                                + "'::regclass), 'USAGE')")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("SELECT on " + table).isTrue();
            assertThat(rs.getBoolean(2)).as("USAGE on the schema of " + table).isTrue();
        }
    }

    private static boolean roleExists(PostgresServer server, String role) throws SQLException {
        return exists(server, "SELECT 1 FROM pg_roles WHERE rolname = '" + role + "'");
    }

    private static boolean databaseExists(PostgresServer server, String database) throws SQLException {
        return exists(server, "SELECT 1 FROM pg_database WHERE datname = '" + database + "'");
    }

    private static String scalar(PostgresServer server, String database, String query) throws SQLException {
        try (Connection c = server.connect(database);
                Statement sql = c.createStatement();
                ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static boolean exists(PostgresServer server, String query) throws SQLException {
        try (Connection c = server.connect("postgres");
                Statement sql = c.createStatement();
                ResultSet rs = sql.executeQuery(query)) {
            return rs.next();
        }
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The step program in its own process, as a pipeline runs it. */
    static StepRun run(Map<String, String> settings) {
        return StepProgram.at(JAR).run(settings, Duration.ofMinutes(3));
    }
}
