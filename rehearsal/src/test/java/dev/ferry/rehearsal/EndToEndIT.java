package dev.ferry.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.harness.TaskRunOutcome;
import dev.ferry.testing.pg.DatabaseAccess;
import dev.ferry.testing.pg.OnyxFixture;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import dev.ferry.testing.s3.S3TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code pipelines/tekton/rehearsal.yaml}, run through the local pipeline harness with each step the
 * built program, moves an Onyx-shaped database from PostgreSQL 14 through a real S3 server into a
 * scratch database on PostgreSQL 16. Right after validate (before the pipeline drops the scratch
 * database) the target must hold the same rows, byte for byte, and the same large objects — not just
 * the same counts; at the end the scratch database must be gone. The single-tenant run starts from the
 * Pipelines-as-Code PipelineRun a user copies from examples/ci, as `/ferry rehearse` would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndIT {

    private static final Path PROJECT_ROOT = Path.of(System.getProperty("ferry.project.root", ".."))
            .toAbsolutePath()
            .normalize();

    /** The PipelineRun `/ferry rehearse` starts in a user's repository. */
    static final String PAC_REHEARSAL = "examples/ci/.tekton/ferry-rehearse.yaml";

    private PostgresServer source;
    private PostgresServer target;
    private S3TestServer s3;

    @TempDir
    Path workdir;

    @BeforeAll
    void startParts() throws Exception {
        source = PostgresServer.start(PgMajor.SOURCE);
        target = PostgresServer.start(PgMajor.TARGET);
        s3 = S3TestServer.startTransient();
        s3.createBucket("ferry-e2e");
    }

    @AfterAll
    void stopParts() throws Exception {
        for (AutoCloseable part : new AutoCloseable[] {source, target, s3}) {
            if (part != null) {
                part.close();
            }
        }
    }

    @ParameterizedTest(name = "multi-tenant={0}")
    @ValueSource(booleans = {false, true})
    void theTargetEndsUpEqualToTheSource(boolean multiTenant) throws Exception {
        String database = multiTenant ? "onyx_mt" : "onyx_st";
        OnyxFixture fixture = multiTenant ? OnyxFixture.multiTenant() : OnyxFixture.singleTenant();
        fixture.installInto(source, database);
        Map<String, String> objectStorage = new HashMap<>(s3.stepEnvironment());
        objectStorage.put("FERRY_S3_BUCKET", "ferry-e2e");
        objectStorage.put("FERRY_S3_PREFIX", "e2e/" + database);

        Map<String, String> restoredTables = new LinkedHashMap<>();
        List<String> restoredObjects = new ArrayList<>();
        Rehearsal rehearsal = new Rehearsal(
                PROJECT_ROOT,
                workdir.resolve(database),
                DatabaseAccess.superuser(source, database),
                DatabaseAccess.superuser(target, database),
                objectStorage,
                line -> {});
        if (!multiTenant) {
            rehearsal.fromPipelineRun(PAC_REHEARSAL);
        }
        RehearsalReport report = rehearsal
                .onTaskRun(run -> {
                    if (run.pipelineTask().equals("validate") && run.succeeded()) {
                        try (Connection to = target.connect(database)) {
                            restoredTables.putAll(tableDigests(to));
                            restoredObjects.addAll(largeObjectDigests(to));
                        } catch (SQLException e) {
                            throw new IllegalStateException("cannot read the scratch database after validate", e);
                        }
                    }
                })
                .run();

        assertThat(report.passed()).as(() -> failureOf(report)).isTrue();
        assertThat(report.phases())
                .extracting(TaskRunOutcome::pipelineTask)
                .containsExactly(
                        "dump", "upload", "download", "restore", "validate", "drop-scratch-database", "upload-report");
        assertThat(report.validationMarkdown())
                .hasValueSatisfying(md -> assertThat(md).contains("chat_message"));
        assertThat(report.phases())
                .as("Tekton keeps only declared results: every result a step writes is declared by its Task")
                .allSatisfy(run -> assertThat(run.undeclaredResults())
                        .as(run.pipelineTask())
                        .isEmpty());
        assertThat(report.encryption())
                .hasValue("tink-streaming-aead/key-id=" + rehearsal.keyset().primaryKeyId());
        // The outage the rehearsal predicts: every data step measured, the rest the Task's predict-* defaults.
        String predicted = report.predictedDowntime().orElseThrow();
        long seconds = Long.parseLong(
                report.pipelineRun().taskRun("validate").orElseThrow().results().get("predicted-downtime-seconds"));
        assertThat(predicted).matches("\\d+ min \\d\\d s");
        assertThat(seconds)
                .isGreaterThan(30 + 60 + 120)
                .isLessThan(30 + 60 + 120 + report.total().toSeconds() + 30);
        assertThat(report.validationMarkdown().orElseThrow())
                .contains("| **Outage** | predicted **" + predicted + "**: freeze 30.0 s (assumed), dump ")
                .containsPattern(
                        "dump [0-9.]+ s, upload [0-9.]+ s, download [0-9.]+ s, restore [0-9.]+ s, validate [0-9.]+ s,"
                                + " alembic-run 1 min 00 s \\(assumed\\), scale-up 2 min 00 s \\(assumed\\)");
        assertThat(report.importWorkdir().resolve("report/timeline.svg")).isRegularFile();
        // finally: the report lands next to the migration in the bucket, encrypted like the dump, byte for byte inside.
        assertThat(report.phases())
                .filteredOn(run -> run.pipelineTask().equals("upload-report"))
                .singleElement()
                .satisfies(run -> assertThat(run.succeeded()).as(run.output()).isTrue());
        String migrationId = report.pipelineRun().results().get("migration-id");
        for (String file : List.of("validation.md", "validation.json", "timeline.svg")) {
            byte[] stored = s3.client()
                    .getObjectAsBytes(
                            b -> b.bucket("ferry-e2e").key("e2e/" + database + "/" + migrationId + "/report/" + file))
                    .asByteArray();
            byte[] local =
                    java.nio.file.Files.readAllBytes(report.importWorkdir().resolve("report/" + file));
            assertThat(stored).as("encrypted in the bucket").isNotEqualTo(local);
            assertThat(rehearsal.keyset().decrypt(stored, migrationId + "/report/" + file))
                    .isEqualTo(local);
        }
        // The stored manifest names tables and counts; what is computed from values is sealed (validate got it whole).
        String storedManifest = new String(
                s3.client()
                        .getObjectAsBytes(b ->
                                b.bucket("ferry-e2e").key("e2e/" + database + "/" + migrationId + "/manifest.json"))
                        .asByteArray(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(storedManifest)
                .contains("\"sealedInventory\"", "\"chat_message\"", "\"rows\"")
                .doesNotContain("\"contentDigest\"", "\"largeObjectsDigest\"", "\"lastValue\"");
        assertThat(java.nio.file.Files.readString(report.importWorkdir().resolve("manifest.json")))
                .contains("\"contentDigest\"")
                .doesNotContain("sealedInventory");
        try (Connection from = source.connect(database)) {
            Map<String, String> sourceTables = tableDigests(from);
            assertThat(sourceTables).hasSizeGreaterThan(10);
            assertThat(restoredTables).isEqualTo(sourceTables);
            List<String> sourceObjects = largeObjectDigests(from);
            assertThat(sourceObjects).isNotEmpty();
            assertThat(restoredObjects).isEqualTo(sourceObjects);
        }
        assertThat(databaseExists(target, database))
                .as("the scratch database is dropped at the end")
                .isFalse();
    }

    private static String failureOf(RehearsalReport report) {
        return report.pipelineRun()
                .firstFailure()
                .map(run -> run.pipelineTask() + " failed (" + run.reason() + "):\n" + run.output())
                .orElse("status " + report.pipelineRun().status());
    }

    private static boolean databaseExists(PostgresServer server, String database) throws SQLException {
        try (Connection connection = server.connect("postgres");
                java.sql.PreparedStatement sql =
                        connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            sql.setString(1, database);
            try (ResultSet rs = sql.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Every user table's full content as one digest, in a stable order (rows sorted by their text form). */
    private static Map<String, String> tableDigests(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery("""
                        SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                          AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1""")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        Map<String, String> digests = new LinkedHashMap<>();
        for (String table : tables) {
            try (Statement sql = connection.createStatement();
                    ResultSet rs = sql.executeQuery(
                            "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') FROM "
                                    + table + " t")) {
                rs.next();
                digests.put(table, rs.getString(1));
            }
        }
        return digests;
    }

    private static List<String> largeObjectDigests(Connection connection) throws SQLException {
        List<String> digests = new ArrayList<>();
        try (Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery(
                        "SELECT oid || ':' || md5(lo_get(oid)) FROM pg_largeobject_metadata ORDER BY oid")) {
            while (rs.next()) {
                digests.add(rs.getString(1));
            }
        }
        return digests;
    }
}
