package dev.ferry.pg;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * Opens JDBC connections to a {@link PgEndpoint} and turns the failures a user can fix (wrong
 * password, unreachable host, missing database) into one-line exit-2 messages that name the env var.
 */
public final class PgConnector {

    /** Seconds to wait for a TCP connection and for the login, so a black-holed host fails quickly. */
    static final int CONNECT_TIMEOUT_SECONDS = 15;

    private final PgEndpoint endpoint;
    private final String applicationName;

    public PgConnector(PgEndpoint endpoint, String applicationName) {
        this.endpoint = endpoint;
        this.applicationName = applicationName;
    }

    public PgEndpoint endpoint() {
        return endpoint;
    }

    public Connection open() {
        return open(endpoint.database());
    }

    public Connection open(String database) {
        return connect(database, properties());
    }

    /**
     * A logical replication connection ({@code replication=database}, simple query mode, as the WAL sender wants) to
     * the endpoint's database, for creating a slot and streaming from it; a login failure is exit 2 naming the setting,
     * as with {@link #open()}.
     */
    public Connection openReplication() {
        Properties properties = properties();
        properties.setProperty("replication", "database");
        properties.setProperty("preferQueryMode", "simple");
        properties.setProperty("assumeMinServerVersion", "10");
        return connect(endpoint.database(), properties);
    }

    private Connection connect(String database, Properties properties) {
        String url = "jdbc:postgresql://" + hostForUrl(endpoint.host()) + ":" + endpoint.port() + "/";
        try {
            // Explicit: the driver's ServiceLoader registration is not guaranteed in a native image.
            if (!Driver.isRegistered()) {
                Driver.register();
            }
            return DriverManager.getConnection(url + encode(database), properties);
        } catch (SQLException e) {
            throw explain(e, database);
        }
    }

    private Properties properties() {
        Properties properties = new Properties();
        properties.setProperty("user", endpoint.user());
        endpoint.password().ifPresent(p -> properties.setProperty("password", p));
        endpoint.sslmode().ifPresent(mode -> properties.setProperty("sslmode", mode));
        endpoint.sslrootcert().ifPresent(cert -> properties.setProperty("sslrootcert", cert));
        properties.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        properties.setProperty("loginTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        properties.setProperty("ApplicationName", applicationName);
        return properties;
    }

    /** Maps a connection failure to the setting that most likely needs fixing. */
    StepFailure explain(SQLException e, String database) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String where = endpoint.host() + ":" + endpoint.port();
        String serverSaid = firstLine(e.getMessage());
        if (state.equals("28P01") || state.equals("28000")) {
            return new StepFailure(
                    ExitCode.BAD_CONFIGURATION,
                    "PostgreSQL at " + where
                            + " rejected the login of user \"" + endpoint.user()
                            + "\": check POSTGRES_USER and POSTGRES_PASSWORD ("
                            + serverSaid + ")",
                    e);
        }
        if (state.equals("08004") && endpoint.password().isEmpty()) {
            return new StepFailure(
                    ExitCode.BAD_CONFIGURATION,
                    "PostgreSQL at " + where + " wants a password for user \"" + endpoint.user()
                            + "\": set POSTGRES_PASSWORD (" + serverSaid + ")",
                    e);
        }
        if (state.equals("3D000")) {
            return new StepFailure(
                    ExitCode.BAD_CONFIGURATION,
                    "database \"" + database + "\" does not exist on " + where + ": check POSTGRES_DB",
                    e);
        }
        if (state.startsWith("08")) {
            return new StepFailure(
                    ExitCode.BAD_CONFIGURATION,
                    "cannot reach PostgreSQL at " + where + ": check POSTGRES_HOST and POSTGRES_PORT (" + serverSaid
                            + ")",
                    e);
        }
        return new StepFailure(
                ExitCode.UNEXPECTED,
                "cannot connect to PostgreSQL at " + where + " as \"" + endpoint.user() + "\" (SQLState " + state
                        + "): " + serverSaid,
                e);
    }

    private static String hostForUrl(String host) {
        // A bare IPv6 address needs brackets in a URL.
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String encode(String database) {
        return URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
