package dev.ferry.pg;

import dev.ferry.core.StepFailure;
import dev.ferry.core.config.Settings;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where and as whom to connect, resolved once from {@link PostgresConfig} (Onyx's POSTGRES_* names)
 * with libpq's PGSSLMODE/PGSSLROOTCERT as fallbacks. {@link #toString()} never shows the password.
 */
public record PgEndpoint(
        String host,
        int port,
        String database,
        String user,
        Optional<String> password,
        Optional<String> sslmode,
        Optional<String> sslrootcert) {

    /** libpq's sslmode values; pgjdbc accepts the same. */
    static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    public PgEndpoint {
        sslmode.filter(mode -> !SSL_MODES.contains(mode)).ifPresent(mode -> {
            throw StepFailure.badConfiguration("POSTGRES_SSLMODE (or PGSSLMODE) is \"" + mode + "\"; use one of "
                    + String.join(", ", SSL_MODES.stream().sorted().toList()));
        });
    }

    /** Reads the settings; a missing host or user is a one-line exit 2 naming the env var. */
    public static PgEndpoint from(PostgresConfig config, Map<String, String> environment) {
        if (config.port() < 1 || config.port() > 65535) {
            throw StepFailure.badConfiguration("POSTGRES_PORT is " + config.port() + "; use a TCP port (1-65535)");
        }
        return new PgEndpoint(
                Settings.required(config.host(), "POSTGRES_HOST"),
                config.port(),
                config.db(),
                Settings.required(config.user(), "POSTGRES_USER"),
                config.password().filter(p -> !p.isEmpty()),
                config.sslmode().or(() -> nonBlank(environment.get("PGSSLMODE"))),
                config.sslrootcert().or(() -> nonBlank(environment.get("PGSSLROOTCERT"))));
    }

    public static PgEndpoint from(PostgresConfig config) {
        return from(config, System.getenv());
    }

    /** The same server and credentials, another database (e.g. {@code postgres} to create the target). */
    public PgEndpoint withDatabase(String otherDatabase) {
        return new PgEndpoint(host, port, otherDatabase, user, password, sslmode, sslrootcert);
    }

    /** {@code host:port/database} for log lines and messages. */
    public String describe() {
        return host + ":" + port + "/" + database;
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }

    @Override
    public String toString() {
        return "PgEndpoint[" + user + "@" + describe() + ", password=" + (password.isPresent() ? "***" : "none")
                + ", sslmode=" + sslmode.orElse("default") + "]";
    }
}
