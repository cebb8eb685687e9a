package dev.ferry.testing.pg;

import dev.ferry.testing.ServerLogs;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server of one major version, started by a test on a random free port and
 * stopped on {@link #close()}. Unlike zonky's default (trust for everyone), every TCP login needs a
 * password (SCRAM), so tests exercise the same authentication path as a production server, and a
 * wrong password really fails.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String SUPERUSER = "postgres";

    static {
        ServerLogs.quiet();
    }

    private final PgMajor major;
    private final EmbeddedPostgres postgres;
    private final Path baseDirectory;
    private final String superuserPassword;

    private PostgresServer(PgMajor major, EmbeddedPostgres postgres, Path baseDirectory, String superuserPassword) {
        this.major = major;
        this.postgres = postgres;
        this.baseDirectory = baseDirectory;
        this.superuserPassword = superuserPassword;
    }

    public static PostgresServer start(PgMajor major) {
        return start(major, java.util.Map.of());
    }

    /**
     * The same, with extra {@code postgresql.conf} settings, e.g. {@code wal_level=logical} for logical decoding
     * (a setting only a restart changes, so it is given at start).
     */
    public static PostgresServer start(PgMajor major, java.util.Map<String, String> serverConfig) {
        Path base = null;
        try {
            base = Files.createTempDirectory("ferry-pg" + major.majorVersion() + "-");
            // As root, zonky runs initdb/postgres in a user namespace where they are "nobody":
            // the folder must let that user create the data directory.
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxrwxrwx"));
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            serverConfig.forEach(builder::setServerConfig);
            EmbeddedPostgres postgres = builder.setPgBinaryResolver(new PgBinaryJar(major.binariesVersion()))
                    .setDataDirectory(base.resolve("data"))
                    .setCleanDataDirectory(true)
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
            String password = randomPassword();
            PostgresServer server = new PostgresServer(major, postgres, base, password);
            server.requirePasswords();
            return server;
        } catch (IOException | SQLException e) {
            deleteQuietly(base);
            throw new IllegalStateException("cannot start PostgreSQL " + major.binariesVersion(), e);
        }
    }

    /**
     * zonky's initdb trusts every connection; give the superuser a password, then switch every
     * login to SCRAM and wait until the server has actually reloaded its pg_hba.conf.
     */
    private void requirePasswords() throws IOException, SQLException {
        try (Connection trusted = postgres.getPostgresDatabase().getConnection();
                Statement sql = trusted.createStatement()) {
            sql.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + superuserPassword + "'");
            Files.writeString(baseDirectory.resolve("data").resolve("pg_hba.conf"), """
                    # Written by Ferry's PostgresServer: passwords for everyone, as on a real server.
                    local all all scram-sha-256
                    host  all all 127.0.0.1/32 scram-sha-256
                    host  all all ::1/128 scram-sha-256
                    """);
            sql.execute("SELECT pg_reload_conf()");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (acceptsWithoutPassword()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL did not reload pg_hba.conf");
            }
            Thread.onSpinWait();
        }
    }

    private boolean acceptsWithoutPassword() {
        Properties noPassword = new Properties();
        noPassword.setProperty("user", SUPERUSER);
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), noPassword)) {
            return connection.isValid(1);
        } catch (SQLException refused) {
            return false;
        }
    }

    public PgMajor major() {
        return major;
    }

    public String host() {
        return "localhost";
    }

    public int port() {
        return postgres.getPort();
    }

    public String superuser() {
        return SUPERUSER;
    }

    public String superuserPassword() {
        return superuserPassword;
    }

    /** JDBC URL without credentials, e.g. {@code jdbc:postgresql://localhost:5432/onyx}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /** A superuser connection to {@code database}. */
    public Connection connect(String database) throws SQLException {
        return connect(database, SUPERUSER, superuserPassword);
    }

    public Connection connect(String database, String user, String password) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user, password);
    }

    /** Creates an empty database (from template0, as a restore target should be). */
    public void createDatabase(String name) throws SQLException {
        try (Connection admin = connect("postgres");
                Statement sql = admin.createStatement()) {
            sql.execute("CREATE DATABASE " + quote(name) + " TEMPLATE template0");
        }
    }

    /** Creates a role that logs in with a password; {@code extraOptions} like {@code "CREATEDB"} may follow. */
    public void createLoginRole(String name, String password, String... extraOptions) throws SQLException {
        try (Connection admin = connect("postgres");
                Statement sql = admin.createStatement()) {
            sql.execute("CREATE ROLE " + quote(name) + " LOGIN PASSWORD '" + password.replace("'", "''") + "' "
                    + String.join(" ", extraOptions));
        }
    }

    /** Server version as reported by {@code server_version_num}, e.g. 140022. */
    public int serverVersionNum() throws SQLException {
        try (Connection c = connect("postgres");
                Statement sql = c.createStatement();
                var rs = sql.executeQuery("SHOW server_version_num")) {
            rs.next();
            return Integer.parseInt(rs.getString(1));
        }
    }

    /** {@code identifier} as a quoted SQL identifier, whatever it holds (a tenant schema's hyphens). */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static String randomPassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return "pw-" + HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(baseDirectory);
        }
    }

    private static void deleteQuietly(Path folder) {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temp folder is harmless; the test outcome matters more.
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL " + major.binariesVersion() + " on " + host() + ":" + port();
    }
}
