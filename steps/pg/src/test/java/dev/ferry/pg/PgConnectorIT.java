package dev.ferry.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Connection failures a user can fix become exit 2 with the env var to fix, against a real server. */
class PgConnectorIT {

    static PostgresServer server;

    @BeforeAll
    static void start() throws Exception {
        server = PostgresServer.start(PgMajor.SOURCE);
        server.createLoginRole("onyx_app", "app:pass\\word");
        server.createDatabase("onyx");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void connects_with_the_right_password() throws Exception {
        try (Connection c =
                connector("onyx_app", "app:pass\\word", server.port(), "onyx").open()) {
            assertThat(c.isValid(5)).isTrue();
        }
    }

    @Test
    void a_wrong_password_is_bad_configuration_naming_user_and_password() {
        assertThatThrownBy(() -> connector("onyx_app", "wrong-secret", server.port(), "onyx")
                        .open())
                .isInstanceOfSatisfying(StepFailure.class, f -> {
                    assertThat(f.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION);
                    assertThat(f.getMessage())
                            .contains("rejected the login of user \"onyx_app\"")
                            .contains("check POSTGRES_USER and POSTGRES_PASSWORD")
                            .doesNotContain("wrong-secret");
                });
    }

    @Test
    void an_unreachable_port_is_bad_configuration_naming_host_and_port() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        assertThatThrownBy(() -> connector("onyx_app", "x", closedPort, "onyx").open())
                .isInstanceOfSatisfying(StepFailure.class, f -> {
                    assertThat(f.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION);
                    assertThat(f.getMessage())
                            .startsWith("cannot reach PostgreSQL at localhost:" + closedPort)
                            .contains("check POSTGRES_HOST and POSTGRES_PORT");
                });
    }

    @Test
    void a_missing_database_names_postgres_db() {
        assertThatThrownBy(() -> connector("onyx_app", "app:pass\\word", server.port(), "no_such_db")
                        .open())
                .isInstanceOfSatisfying(StepFailure.class, f -> {
                    assertThat(f.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION);
                    assertThat(f.getMessage())
                            .contains("\"no_such_db\" does not exist")
                            .contains("POSTGRES_DB");
                });
    }

    @Test
    void a_missing_password_that_the_server_wants_names_postgres_password() {
        assertThatThrownBy(
                        () -> connector("onyx_app", null, server.port(), "onyx").open())
                .isInstanceOfSatisfying(StepFailure.class, f -> {
                    assertThat(f.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION);
                    assertThat(f.getMessage()).contains("POSTGRES_PASSWORD");
                });
    }

    static PgConnector connector(String user, String password, int port, String db) {
        return new PgConnector(
                PgEndpoint.from(TestPostgresConfig.of("localhost", port, db, user, password), Map.of()), "ferry-test");
    }
}
