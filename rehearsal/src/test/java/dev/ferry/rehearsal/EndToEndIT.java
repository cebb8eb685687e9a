package dev.ferry.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The five step programs, each its own process exactly as a pipeline runs them, move an Onyx-shaped
 * database from PostgreSQL 14 through a real S3 server into PostgreSQL 16; the target must then hold
 * the same rows, byte for byte, and the same large objects — not just the same counts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndIT {

    private static final Path PROJECT_ROOT = Path.of(System.getProperty("ferry.project.root", "..")).toAbsolutePath().normalize();

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
        source.createDatabase(database);
        try (Connection connection = source.connect(database)) {
            fixture.install(connection);
        }
        Map<String, String> objectStorage = new HashMap<>(s3.stepEnvironment());
        objectStorage.put("FERRY_S3_BUCKET", "ferry-e2e");
        objectStorage.put("FERRY_S3_PREFIX", "e2e/" + database);

        RehearsalReport report = new Rehearsal(PROJECT_ROOT, workdir.resolve(database),
                new DatabaseAccess(source.host(), source.port(), database, source.superuser(), source.superuserPassword()),
                new DatabaseAccess(target.host(), target.port(), database, target.superuser(), target.superuserPassword()),
                objectStorage, line -> { }).run();

        assertThat(report.passed()).as(() -> failureOf(report)).isTrue();
        assertThat(report.validationMarkdown()).hasValueSatisfying(md -> assertThat(md).contains("chat_message"));
        try (Connection from = source.connect(database); Connection to = target.connect(database)) {
            Map<String, String> sourceTables = tableDigests(from);
            assertThat(sourceTables).hasSizeGreaterThan(10);
            assertThat(tableDigests(to)).isEqualTo(sourceTables);
            List<String> sourceObjects = largeObjectDigests(from);
            assertThat(sourceObjects).isNotEmpty();
            assertThat(largeObjectDigests(to)).isEqualTo(sourceObjects);
        }
    }

    private static String failureOf(RehearsalReport report) {
        PhaseResult last = report.phases().get(report.phases().size() - 1);
        return last.step() + " exited " + last.exitCode() + ":\n" + last.output();
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
                    ResultSet rs = sql.executeQuery("SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') FROM "
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
                ResultSet rs = sql.executeQuery("SELECT oid || ':' || md5(lo_get(oid)) FROM pg_largeobject_metadata ORDER BY oid")) {
            while (rs.next()) {
                digests.add(rs.getString(1));
            }
        }
        return digests;
    }
}
