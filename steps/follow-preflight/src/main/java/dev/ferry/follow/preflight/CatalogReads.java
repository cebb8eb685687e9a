package dev.ferry.follow.preflight;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The one-value catalog reads the checks make; each a single read-only statement. */
final class CatalogReads {

    private CatalogReads() {}

    static String text(Connection connection, String query) throws SQLException {
        try (PreparedStatement sql = connection.prepareStatement(query);
                ResultSet rs = sql.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    static long number(Connection connection, String query) throws SQLException {
        try (PreparedStatement sql = connection.prepareStatement(query);
                ResultSet rs = sql.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static boolean truth(Connection connection, String query) throws SQLException {
        try (PreparedStatement sql = connection.prepareStatement(query);
                ResultSet rs = sql.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** {@code "name"}, as PostgreSQL quotes an identifier, for a fix the user pastes. */
    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
