package dev.ferry.core.kube;

import dev.ferry.core.config.PostgresConfig;
import dev.ferry.core.config.Settings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens JDBC connections for the Kubernetes steps' small checks (who is still connected, which
 * alembic revision each schema is at). The password travels in the connection properties, never in
 * the URL, so it cannot reach a log line.
 */
public final class PostgresConnector {

    private final String url;
    private final Properties properties;

    public PostgresConnector(String url, String user, String password) {
        this.url = url;
        this.properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", "10");
    }

    /** From Onyx's POSTGRES_* settings; a missing host or user is a one-line exit 2. */
    public static PostgresConnector from(PostgresConfig postgres) {
        String host = Settings.required(postgres.host(), "POSTGRES_HOST");
        String user = Settings.required(postgres.user(), "POSTGRES_USER");
        String url = "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + postgres.port() + "/"
                + postgres.db();
        PostgresConnector connector = new PostgresConnector(url, user, postgres.password().orElse(null));
        postgres.sslmode().ifPresent(mode -> connector.properties.setProperty("sslmode", mode));
        postgres.sslrootcert().ifPresent(cert -> connector.properties.setProperty("sslrootcert", cert));
        return connector;
    }

    /** A new connection that shows up in pg_stat_activity as {@code applicationName}. */
    public Connection open(String applicationName) throws SQLException {
        Properties withName = new Properties();
        withName.putAll(properties);
        withName.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(url, withName);
    }

    /** host:port/db, safe to log. */
    public String describe() {
        return url.substring("jdbc:postgresql://".length());
    }
}
