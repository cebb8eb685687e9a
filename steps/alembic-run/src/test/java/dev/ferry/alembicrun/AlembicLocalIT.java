package dev.ferry.alembicrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.pg.PgConnector;
import dev.ferry.pg.PgEndpoint;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local mode for real: Debian's alembic (packages alembic, python3-alembic, python3-psycopg2) runs a
 * small project laid out like Onyx's backend against a real PostgreSQL.
 */
class AlembicLocalIT {

    private static final String HEAD = "5d12a446f5c0";
    private static final String TENANTS_HEAD = "34e3630c7f32";

    private static PostgresServer server;
    private static Path project;

    @TempDir
    Path workdir;

    @BeforeAll
    static void start() throws Exception {
        project = Path.of(AlembicLocalIT.class
                        .getResource("/onyx-alembic/alembic.ini")
                        .toURI())
                .getParent();
        server = PostgresServer.start(PgMajor.TARGET);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void upgradesASingleTenantDatabaseAndRecordsBeforeAndAfter() throws Exception {
        database("single", """
                CREATE TABLE chat_session (id uuid PRIMARY KEY, description text);
                CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);
                INSERT INTO alembic_version VALUES ('27c6ecc08586');""");

        AlembicRun.Outcome outcome = run("single", Optional.empty(), Duration.ofMinutes(2));

        assertThat(outcome.multiTenant()).isFalse();
        assertThat(outcome.before()).isEqualTo(Map.of("public", "27c6ecc08586"));
        assertThat(outcome.after()).isEqualTo(Map.of("public", HEAD));
        assertThat(outcome.changed()).isEqualTo(Map.of("public", "27c6ecc08586 -> " + HEAD));
        assertThat(Files.readString(workdir.resolve(Workspace.ALEMBIC_RECORD)))
                .contains("\"public\" : \"" + HEAD + "\"");

        AlembicRun.Outcome again = run("single", Optional.empty(), Duration.ofMinutes(2));
        assertThat(again.changed()).as("upgrade head twice changes nothing").isEmpty();
    }

    @Test
    void detectsTheMultiTenantLayoutAndUpgradesPublicAndEveryTenant() throws Exception {
        database("multi", """
                CREATE SCHEMA tenant_6f9619ff_8b86_d011_b42d_00c04fc964ff;
                CREATE SCHEMA "tenant_i-0a1b2c";""");

        AlembicRun.Outcome outcome = run("multi", Optional.empty(), Duration.ofMinutes(2));

        assertThat(outcome.multiTenant()).isTrue();
        assertThat(outcome.commands())
                .containsExactly(
                        java.util.List.of("alembic", "-n", "schema_private", "upgrade", "head"),
                        java.util.List.of(
                                "/bin/sh",
                                "-c",
                                "if [ -f alembic/run_multitenant_migrations.py ]; then exec \"$(command -v python3 ||"
                                        + " command -v python)\" alembic/run_multitenant_migrations.py; else exec alembic"
                                        + " -x upgrade_all_tenants=true upgrade head; fi"));
        assertThat(outcome.before()).isEmpty();
        assertThat(outcome.after())
                .isEqualTo(Map.of(
                        "public",
                        TENANTS_HEAD,
                        "tenant_6f9619ff_8b86_d011_b42d_00c04fc964ff",
                        HEAD,
                        "tenant_i-0a1b2c",
                        HEAD));
    }

    @Test
    void anImageWithOnyxsParallelTenantRunnerMigratesTheTenantsThroughItWithTheJobsGiven() throws Exception {
        database("parallel", """
                CREATE SCHEMA tenant_1b4e28ba_2fa1_11d2_883f_0016d3cca427;
                CREATE SCHEMA tenant_dev;""");
        Path image = Files.createDirectories(workdir.resolve("image"));
        try (var files = Files.walk(project)) {
            for (Path file : files.toList()) {
                Path copy = image.resolve(project.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
        // A stand-in with the runner's command line: it records its arguments, then upgrades the tenants.
        Path calls = workdir.resolve("runner-calls");
        Files.writeString(image.resolve(AlembicCommands.PARALLEL_TENANT_RUNNER), """
                import subprocess, sys
                with open(%s, "a") as calls:
                    calls.write(" ".join(sys.argv[1:]) + "\\n")
                sys.exit(subprocess.call(["alembic", "-x", "upgrade_all_tenants=true", "upgrade", "head"]))
                """.formatted("'" + calls + "'"));

        AlembicRun.Outcome outcome = new AlembicRun(connector("parallel"))
                .run(
                        new AlembicRun.Request(
                                Optional.empty(),
                                "alembic",
                                false,
                                Duration.ofMinutes(2),
                                workdir,
                                java.util.OptionalInt.of(3)),
                        new LocalRunner(image, environment("parallel")));

        assertThat(Files.readString(calls)).isEqualTo("-j 3\n");
        assertThat(outcome.after())
                .containsEntry("public", TENANTS_HEAD)
                .containsEntry("tenant_1b4e28ba_2fa1_11d2_883f_0016d3cca427", HEAD)
                .containsEntry("tenant_dev", HEAD);
    }

    @Test
    void aDatabaseNewerThanTheScriptsIsRefusedWithTheReason() throws Exception {
        database("newer", """
                CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);
                INSERT INTO alembic_version VALUES ('b7bcc0b1d5a2');""");

        assertThatThrownBy(() -> run("newer", Optional.of(false), Duration.ofMinutes(2)))
                .isInstanceOfSatisfying(StepFailure.class, failure -> {
                    assertThat(failure.exitCode()).isEqualTo(ExitCode.REFUSED);
                    assertThat(failure.getMessage())
                            .contains("Can't locate revision identified by 'b7bcc0b1d5a2'")
                            .contains("the image is older than the data");
                });
        assertThat(workdir.resolve(Workspace.ALEMBIC_RECORD)).doesNotExist();
    }

    @Test
    void aMigrationThatHangsTimesOut() throws Exception {
        database("slow", "SELECT 1");
        Path hanging = workdir.resolve("alembic-that-hangs");
        Files.writeString(hanging, "#!/bin/sh\nexec sleep 600\n");
        Files.setPosixFilePermissions(hanging, PosixFilePermissions.fromString("rwx------"));

        assertThatThrownBy(() -> new AlembicRun(connector("slow"))
                        .run(
                                new AlembicRun.Request(
                                        Optional.of(false), hanging.toString(), false, Duration.ofMillis(500), workdir),
                                new LocalRunner(project, environment("slow"))))
                .isInstanceOfSatisfying(StepFailure.class, failure -> {
                    assertThat(failure.exitCode()).isEqualTo(ExitCode.TIMED_OUT);
                    assertThat(failure.getMessage())
                            .contains("upgrade head\" still running after 0s (FERRY_ALEMBIC_TIMEOUT)");
                });
    }

    private AlembicRun.Outcome run(String database, Optional<Boolean> multiTenant, Duration timeout) throws Exception {
        return new AlembicRun(connector(database))
                .run(
                        new AlembicRun.Request(multiTenant, "alembic", false, timeout, workdir),
                        new LocalRunner(project, environment(database)));
    }

    private static void database(String name, String sql) throws Exception {
        server.createDatabase(name);
        try (Connection connection = server.connect(name);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static PgConnector connector(String database) {
        return new PgConnector(
                new PgEndpoint(
                        server.host(),
                        server.port(),
                        database,
                        server.superuser(),
                        Optional.of(server.superuserPassword()),
                        Optional.empty(),
                        Optional.empty()),
                "ferry-alembic-run");
    }

    private static Map<String, String> environment(String database) {
        return Map.of(
                "POSTGRES_HOST",
                server.host(),
                "POSTGRES_PORT",
                Integer.toString(server.port()),
                "POSTGRES_DB",
                database,
                "POSTGRES_USER",
                server.superuser(),
                "POSTGRES_PASSWORD",
                server.superuserPassword());
    }
}
