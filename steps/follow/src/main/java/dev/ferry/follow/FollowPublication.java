package dev.ferry.follow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A follow's publication, created with everything it needs in ONE source transaction: the replica identities set
 * first (once a table without one is published, the source refuses its UPDATEs and DELETEs), the publication, and its
 * {@link PublicationRecord} (what to put back). Either all of it exists afterwards or none of it does.
 */
public final class FollowPublication {

    private FollowPublication() {}

    /**
     * What to publish: {@code FOR ALL TABLES} (only a superuser may; it also takes in a table created during the
     * follow), or the user tables present now, one by one (what a role that owns them may).
     */
    public enum Scope {
        ALL_TABLES,
        TABLES_NOW_PRESENT
    }

    /**
     * Creates {@code publication} over the tables in {@code keys} (every one of them keyed: the caller refuses a
     * {@link TableKeys.Kind#NO_KEY} table first), sets the replica identities it needs and records them in its
     * comment, in one transaction; returns the replica identities it changed.
     */
    public static List<ReplicaIdentities.Changed> create(
            Connection source, String publication, List<TableKeys.TableKey> keys, Scope scope) throws SQLException {
        List<ReplicaIdentities.Changed> changed = ReplicaIdentities.toSet(keys);
        ReplicaIdentities.inOneTransaction(source, sql -> {
            ReplicaIdentities.alter(sql, changed);
            sql.execute("CREATE PUBLICATION " + Identifiers.quote(publication) + publishes(keys, scope));
            PublicationRecord.write(source, publication, changed);
        });
        return changed;
    }

    /** Whether a publication of that name exists on the source. */
    public static boolean exists(Connection source, String publication) throws SQLException {
        try (PreparedStatement sql = source.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
            sql.setString(1, publication);
            try (ResultSet rs = sql.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String publishes(List<TableKeys.TableKey> keys, Scope scope) {
        if (scope == Scope.ALL_TABLES) {
            return " FOR ALL TABLES";
        }
        // Unlogged tables never reach the WAL, and a publication refuses them.
        String tables = keys.stream()
                .filter(key -> key.kind() != TableKeys.Kind.UNLOGGED)
                .map(TableKeys.TableKey::table)
                .collect(Collectors.joining(", "));
        return tables.isEmpty() ? "" : " FOR TABLE " + tables;
    }
}
