package dev.ferry.restore;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import dev.ferry.pg.PgConnector;
import dev.ferry.pg.PgIdentifiers;
import dev.ferry.pg.UserTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/** The target server and database as restore prepares them: created if missing, checked for data, roles added. */
final class TargetDatabase {

    private static final Logger LOG = Logger.getLogger(TargetDatabase.class);
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private final PgConnector connector;
    private final String database;

    TargetDatabase(PgConnector connector) {
        this.connector = connector;
        this.database = connector.endpoint().database();
    }

    /**
     * Creates POSTGRES_DB from template0 when it does not exist (template0, so nothing a DBA added to
     * template1 collides with the dump). Returns whether it was created.
     */
    boolean createIfMissing(String maintenanceDb) throws SQLException {
        try (Connection admin = connector.open(maintenanceDb)) {
            try (PreparedStatement exists = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, database);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (Statement sql = admin.createStatement()) {
                sql.execute("CREATE DATABASE " + PgIdentifiers.quote(database) + " TEMPLATE template0");
            } catch (SQLException e) {
                if (INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                    throw new StepFailure(
                            ExitCode.BAD_CONFIGURATION,
                            "database \"" + database + "\" does not exist and role \""
                                    + connector.endpoint().user()
                                    + "\" may not create it: create it beforehand or grant CREATEDB ("
                                    + e.getMessage() + ")",
                            e);
                }
                throw e;
            }
            return true;
        }
    }

    /**
     * Makes every commit before it durable. The restore's sessions commit without waiting for their WAL
     * flush (synchronous_commit=off); WAL is flushed in order, so one synchronous commit of a transaction
     * that has an id waits until everything written before it is on disk.
     */
    static void makeDurable(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement sql = connection.createStatement()) {
            sql.execute("SET LOCAL synchronous_commit = on");
            sql.execute("SELECT txid_current()"); // a transaction id, so that the commit writes and flushes WAL
            connection.commit();
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Refuses (exit 3) to restore into a database that already holds user tables or large objects. */
    void requireEmpty(Connection target) throws SQLException {
        long tables = UserTables.count(target);
        long largeObjects = UserTables.largeObjects(target);
        if (tables > 0 || largeObjects > 0) {
            List<String> some = UserTables.names(target, 3);
            throw StepFailure.refused("target database \"" + database + "\" already holds " + tables + " user tables"
                    + (tables > 0 ? " (" + String.join(", ", some) + (tables > some.size() ? ", …" : "") + ")" : "")
                    + " and " + largeObjects
                    + " large objects; restore never merges into existing data: point POSTGRES_DB"
                    + " at an empty database, or set FERRY_RESTORE_CLEAN=true to drop and replace what the dump holds");
        }
    }

    static Set<String> existingRoles(Connection connection) throws SQLException {
        return names(connection, "SELECT rolname FROM pg_roles");
    }

    /** The run-time parameters this server knows ({@code pg_settings}). */
    static Set<String> settingNames(Connection connection) throws SQLException {
        return names(connection, "SELECT name FROM pg_settings");
    }

    private static Set<String> names(Connection connection, String query) throws SQLException {
        Set<String> names = new HashSet<>();
        try (Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery(query)) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /**
     * Creates the roles the dump refers to (owners, grantees) that the target lacks, as NOLOGIN
     * roles: enough for ownership and GRANTs (Onyx's db_readonly_user) to apply; logging in is for
     * an administrator to allow later, with a password the source never had to reveal.
     */
    List<String> createMissingRoles(Connection connection, List<String> referencedRoles) throws SQLException {
        Set<String> existing = existingRoles(connection);
        List<String> created = new ArrayList<>();
        for (String role : referencedRoles) {
            if (existing.contains(role)) {
                continue;
            }
            try (Statement sql = connection.createStatement()) {
                sql.execute("CREATE ROLE " + PgIdentifiers.quote(role) + " NOLOGIN");
            } catch (SQLException e) {
                if (INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                    throw new StepFailure(
                            ExitCode.BAD_CONFIGURATION,
                            "the dump refers to role \"" + role
                                    + "\", which the target lacks, and \""
                                    + connector.endpoint().user() + "\" may not create it: "
                                    + "create it beforehand, or set FERRY_RESTORE_NO_OWNER=true (" + e.getMessage()
                                    + ")",
                            e);
                }
                throw e;
            }
            LOG.infof("phase=roles created=%s login=false", role);
            created.add(role);
        }
        return created;
    }
}
