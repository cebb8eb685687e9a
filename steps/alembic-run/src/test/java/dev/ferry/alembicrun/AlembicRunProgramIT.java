package dev.ferry.alembicrun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.workspace.Workspace;
import dev.ferry.testing.StepProgram;
import dev.ferry.testing.StepRun;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged program, started as a Tekton step starts it: settings only through the environment. */
class AlembicRunProgramIT {

    private static final Path PROGRAM = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static PostgresServer server;

    @TempDir
    Path workdir;

    @BeforeAll
    static void start() {
        server = PostgresServer.start(PgMajor.TARGET);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void localModeMigratesAndWritesResults() throws Exception {
        server.createDatabase("program");
        Map<String, String> env = new HashMap<>(database("program"));
        env.put("FERRY_ALEMBIC_MODE", "local");
        env.put(
                "FERRY_ALEMBIC_WORKDIR",
                Path.of(getClass().getResource("/onyx-alembic/alembic.ini").toURI())
                        .getParent()
                        .toString());
        env.put("FERRY_WORKDIR", workdir.toString());

        StepRun outcome = StepProgram.at(PROGRAM).run(env, Duration.ofMinutes(2));

        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        assertThat(outcome.output())
                .contains("alembic | INFO  [alembic.runtime.migration] Running upgrade  -> 27c6ecc08586")
                .contains("step=alembic-run outcome=done")
                .contains(
                        "layout=single_tenant dry_run=false public_before=(none) public_after=5d12a446f5c0 schemas=1 schemas_changed=1")
                .doesNotContain(server.superuserPassword());
        assertThat(Files.readString(workdir.resolve("results/revision-after"))).isEqualTo("5d12a446f5c0");
        assertThat(workdir.resolve(Workspace.ALEMBIC_RECORD)).exists();
        try (Connection connection = server.connect("program");
                Statement statement = connection.createStatement()) {
            statement.execute("SELECT shared_status FROM chat_session");
        }
    }

    @Test
    void jobModeWithoutAnImageIsExit2NamingTheSetting() {
        Map<String, String> env = new HashMap<>(database("postgres"));
        env.put("FERRY_WORKDIR", workdir.toString());

        StepRun outcome = StepProgram.at(PROGRAM).run(env, Duration.ofMinutes(1));

        assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(2);
        assertThat(outcome.output()).contains("exit=2 (bad configuration): FERRY_ALEMBIC_IMAGE is not set");
    }

    private static Map<String, String> database(String name) {
        return Map.of(
                "POSTGRES_HOST",
                server.host(),
                "POSTGRES_PORT",
                Integer.toString(server.port()),
                "POSTGRES_DB",
                name,
                "POSTGRES_USER",
                server.superuser(),
                "POSTGRES_PASSWORD",
                server.superuserPassword());
    }
}
