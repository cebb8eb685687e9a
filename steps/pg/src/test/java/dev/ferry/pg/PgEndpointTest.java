package dev.ferry.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PgEndpointTest {

    @Test
    void a_missing_host_or_user_names_its_env_var() {
        assertThatThrownBy(() -> PgEndpoint.from(TestPostgresConfig.of(null, 5432, "onyx", "u", "p"), Map.of()))
                .isInstanceOfSatisfying(StepFailure.class, f -> {
                    assertThat(f.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION);
                    assertThat(f.getMessage()).isEqualTo("POSTGRES_HOST is not set");
                });
        assertThatThrownBy(() -> PgEndpoint.from(TestPostgresConfig.of("db", 5432, "onyx", " ", "p"), Map.of()))
                .hasMessage("POSTGRES_USER is not set");
    }

    @Test
    void libpq_ssl_variables_fill_in_when_postgres_ones_are_unset() {
        PgEndpoint endpoint = PgEndpoint.from(
                TestPostgresConfig.of("db", 5432, "onyx", "u", "p"),
                Map.of("PGSSLMODE", "verify-full", "PGSSLROOTCERT", "/etc/ca.crt"));
        assertThat(endpoint.sslmode()).contains("verify-full");
        assertThat(endpoint.sslrootcert()).contains("/etc/ca.crt");

        PgEndpoint explicit = PgEndpoint.from(
                TestPostgresConfig.of("db", 5432, "onyx", "u", "p").withSslmode("require"),
                Map.of("PGSSLMODE", "verify-full"));
        assertThat(explicit.sslmode()).contains("require");
    }

    @Test
    void an_unknown_sslmode_is_bad_configuration() {
        assertThatThrownBy(() -> PgEndpoint.from(
                        TestPostgresConfig.of("db", 5432, "onyx", "u", "p").withSslmode("on"), Map.of()))
                .isInstanceOfSatisfying(StepFailure.class, f -> {
                    assertThat(f.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION);
                    assertThat(f.getMessage()).contains("POSTGRES_SSLMODE").contains("verify-full");
                });
    }

    @Test
    void to_string_never_shows_the_password() {
        PgEndpoint endpoint =
                new PgEndpoint("db", 5432, "onyx", "u", Optional.of("hunter2"), Optional.empty(), Optional.empty());
        assertThat(endpoint.toString()).doesNotContain("hunter2").contains("***");
    }
}
