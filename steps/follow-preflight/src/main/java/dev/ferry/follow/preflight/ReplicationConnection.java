package dev.ferry.follow.preflight;

import dev.ferry.follow.FollowSlot;
import dev.ferry.pg.PgEndpoint;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Opens the kind of connection capture streams on ({@code replication=database}) and asks the WAL sender who it is
 * ({@code IDENTIFY_SYSTEM}, read-only): proves what the catalog cannot show, that pg_hba.conf, the network path and the
 * server let the role in as a WAL sender. Tried only when the role may replicate and a sender is free.
 */
final class ReplicationConnection {

    static final String CHECK = "replication_connection";

    private ReplicationConnection() {}

    static Finding check(PgEndpoint source, String application) {
        StringBuilder url = new StringBuilder("jdbc:postgresql://")
                .append(
                        source.host().contains(":") && !source.host().startsWith("[")
                                ? "[" + source.host() + "]"
                                : source.host())
                .append(':')
                .append(source.port())
                .append('/')
                .append(encode(source.database()));
        char separator = '?';
        if (source.sslmode().isPresent()) {
            url.append(separator)
                    .append("sslmode=")
                    .append(encode(source.sslmode().get()));
            separator = '&';
        }
        if (source.sslrootcert().isPresent()) {
            url.append(separator)
                    .append("sslrootcert=")
                    .append(encode(source.sslrootcert().get()));
        }
        try (Connection replication = FollowSlot.replicationConnection(
                        url.toString(), source.user(), source.password().orElse(null), application);
                Statement sql = replication.createStatement();
                ResultSet rs = sql.executeQuery("IDENTIFY_SYSTEM")) {
            rs.next();
            return Finding.ok(
                    CHECK,
                    "a replication connection as \"" + source.user() + "\" works: the WAL sender of system "
                            + rs.getString(1) + " is at " + rs.getString(3));
        } catch (SQLException e) {
            return Finding.refused(
                    CHECK,
                    "a replication connection as \"" + source.user() + "\" to " + source.describe() + " failed ("
                            + firstLine(e.getMessage()) + "): a logical replication connection matches pg_hba.conf's"
                            + " entries for the database \"" + source.database() + "\" (not the \"replication\""
                            + " keyword, which is for physical replication); allow the role there and reload");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String firstLine(String message) {
        String text = String.valueOf(message);
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
