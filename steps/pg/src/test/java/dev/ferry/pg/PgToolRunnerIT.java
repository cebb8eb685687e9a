package dev.ferry.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real psql/pg_dump from /usr/bin against a real server, password only through PGPASSFILE. */
class PgToolRunnerIT {

    static final String PASSWORD = "tool:pass\\word";
    static PostgresServer server;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() throws Exception {
        server = PostgresServer.start(PgMajor.SOURCE);
        server.createLoginRole("onyx_tool", PASSWORD);
        server.createDatabase("onyx");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    PgEndpoint endpoint(String password) {
        return PgEndpoint.from(
                TestPostgresConfig.of("localhost", server.port(), "onyx", "onyx_tool", password), Map.of());
    }

    @Test
    void psql_logs_in_with_the_passfile_and_escaped_password() {
        try (PgPassfile passfile = PgPassfile.write(temp, "onyx_tool", PASSWORD)) {
            PgToolRunner runner = new PgToolRunner(
                    endpoint(PASSWORD), Optional.empty(), "FERRY_TEST_BIN", Optional.of(passfile.path()), "ferry-test");
            ToolResult result = runner.run(
                    PgTool.PSQL,
                    List.of("-XAtc", "SELECT current_user || '@' || current_database()"),
                    Duration.ofSeconds(30));
            assertThat(result.stderr()).isEmpty();
            assertThat(result.exitCode()).isZero();
            assertThat(result.stdout().strip()).isEqualTo("onyx_tool@onyx");
        }
    }

    @Test
    void session_settings_reach_the_tools_session_and_no_other() throws Exception {
        try (PgPassfile passfile = PgPassfile.write(temp, "onyx_tool", PASSWORD)) {
            PgToolRunner plain = new PgToolRunner(
                    endpoint(PASSWORD), Optional.empty(), "FERRY_TEST_BIN", Optional.of(passfile.path()), "ferry-test");
            PgToolRunner bulk = plain.withSessionSettings(
                    Map.of("maintenance_work_mem", "123456kB", "synchronous_commit", "local"));
            String show =
                    "SELECT current_setting('maintenance_work_mem') || ' ' || current_setting('synchronous_commit')";

            ToolResult tuned = bulk.run(PgTool.PSQL, List.of("-XAtc", show), Duration.ofSeconds(30));
            ToolResult untouched = plain.run(PgTool.PSQL, List.of("-XAtc", show), Duration.ofSeconds(30));

            assertThat(tuned.stdout().strip()).isEqualTo("123456kB local");
            assertThat(untouched.stdout().strip()).doesNotContain("123456kB").doesNotContain("local");
            assertThat(bulk.pgOptions()).isEqualTo("-c maintenance_work_mem=123456kB -c synchronous_commit=local");
        }
    }

    @Test
    void a_session_setting_that_would_need_quoting_is_refused() {
        PgToolRunner runner = new PgToolRunner(
                endpoint(PASSWORD), Optional.empty(), "FERRY_TEST_BIN", Optional.empty(), "ferry-test");
        assertThatThrownBy(() -> runner.withSessionSettings(Map.of("search_path", "a -c b")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_wrong_password_fails_with_the_tools_stderr_kept() {
        try (PgPassfile passfile = PgPassfile.write(temp, "onyx_tool", "not-it")) {
            PgToolRunner runner = new PgToolRunner(
                    endpoint("not-it"), Optional.empty(), "FERRY_TEST_BIN", Optional.of(passfile.path()), "ferry-test");
            ToolResult result = runner.run(PgTool.PSQL, List.of("-XAtc", "SELECT 1"), Duration.ofSeconds(30));
            assertThat(result.succeeded()).isFalse();
            assertThat(result.stderrSummary(500)).contains("password authentication failed for user \"onyx_tool\"");
        }
    }

    @Test
    void a_tool_running_past_its_timeout_is_stopped_with_exit_5() {
        try (PgPassfile passfile = PgPassfile.write(temp, "onyx_tool", PASSWORD)) {
            PgToolRunner runner = new PgToolRunner(
                    endpoint(PASSWORD), Optional.empty(), "FERRY_TEST_BIN", Optional.of(passfile.path()), "ferry-test");
            AtomicInteger ticks = new AtomicInteger();
            long started = System.nanoTime();
            assertThatThrownBy(() -> runner.run(
                            PgTool.PSQL,
                            List.of("-XAtc", "SELECT pg_sleep(60)"),
                            Duration.ofSeconds(2),
                            Duration.ofMillis(200),
                            ticks::incrementAndGet))
                    .isInstanceOfSatisfying(StepFailure.class, f -> {
                        assertThat(f.exitCode()).isEqualTo(ExitCode.TIMED_OUT);
                        assertThat(f.getMessage()).startsWith("psql did not finish within PT2S");
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
            assertThat(ticks.get()).isGreaterThan(1);
        }
    }

    @Test
    void a_missing_tool_is_bad_configuration_naming_the_setting(@TempDir Path emptyBin) {
        PgToolRunner runner = new PgToolRunner(
                endpoint(PASSWORD), Optional.of(emptyBin), "FERRY_DUMP_PG_BIN_DIR", Optional.empty(), "ferry-test");
        assertThatThrownBy(() -> runner.version(PgTool.PG_DUMP)).isInstanceOfSatisfying(StepFailure.class, f -> {
            assertThat(f.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION);
            assertThat(f.getMessage())
                    .contains(emptyBin.resolve("pg_dump").toString())
                    .contains("FERRY_DUMP_PG_BIN_DIR");
        });
    }

    @Test
    void reads_the_local_pg_dump_version() {
        PgToolRunner runner = new PgToolRunner(
                endpoint(PASSWORD), Optional.empty(), "FERRY_TEST_BIN", Optional.empty(), "ferry-test");
        assertThat(runner.version(PgTool.PG_DUMP).versionNum()).isGreaterThanOrEqualTo(100000);
    }
}
