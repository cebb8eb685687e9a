package dev.ferry.dump;

import dev.ferry.pg.PgVersion;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** What the source server says about itself: its version (numeric and as text) and whether we are a superuser. */
record SourceServer(PgVersion version, String versionText, boolean superuser) {

    static SourceServer describe(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery(
                        "SELECT current_setting('server_version_num'), "
                                + "current_setting('server_version'), (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)")) {
            rs.next();
            return new SourceServer(PgVersion.ofServerVersionNum(rs.getString(1)), rs.getString(2), rs.getBoolean(3));
        }
    }

    /** The database's size on disk, for the free-space check before anything is written. */
    static long databaseSize(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery("SELECT pg_database_size(current_database())")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
