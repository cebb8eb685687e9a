package dev.ferry.freeze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import dev.ferry.kube.Polling;
import dev.ferry.pg.PgConnector;
import dev.ferry.pg.PgEndpoint;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The optional wait for Onyx's connections, against a real PostgreSQL with connections named like Onyx's processes. */
class ConnectionDrainIT {

    private static PostgresServer server;

    @BeforeAll
    static void start() {
        server = PostgresServer.start(PgMajor.EXTRA);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void listsOnyxConnectionsTimesOutWhileTheyStayAndPassesOnceTheyClose() throws Exception {
        ConnectionDrain drain = new ConnectionDrain(new PgConnector(
                new PgEndpoint(
                        server.host(),
                        server.port(),
                        "postgres",
                        server.superuser(),
                        Optional.of(server.superuserPassword()),
                        Optional.empty(),
                        Optional.empty()),
                "ferry-freeze"));
        Connection web = connectAs("web");
        Connection worker = connectAs("celery_worker_light");
        try (Connection unrelated = connectAs("psql");
                Connection lookalike = connectAs("celery_workerX")) {
            assertThat(unrelated.isValid(1) && lookalike.isValid(1))
                    .as("connections Onyx did not open stay open")
                    .isTrue();
            assertThat(drain.remaining()).containsExactly("celery_worker_lightx1", "webx1");

            assertThatThrownBy(() -> drain.await(Duration.ofMillis(300), new Polling(Duration.ofMillis(50))))
                    .isInstanceOfSatisfying(StepFailure.class, failure -> {
                        assertThat(failure.exitCode()).isEqualTo(ExitCode.TIMED_OUT);
                        assertThat(failure.getMessage())
                                .startsWith("Onyx connections still open after 0s: celery_worker_lightx1, webx1");
                    });
            web.close();
            worker.close();

            drain.await(Duration.ofSeconds(10), new Polling(Duration.ofMillis(50)));
            assertThat(drain.remaining()).isEmpty();
        } finally {
            web.close();
            worker.close();
        }
    }

    private static Connection connectAs(String applicationName) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("user", server.superuser());
        properties.setProperty("password", server.superuserPassword());
        properties.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(server.jdbcUrl("postgres"), properties);
    }
}
