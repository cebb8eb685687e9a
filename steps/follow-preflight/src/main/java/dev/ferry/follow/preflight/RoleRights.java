package dev.ferry.follow.preflight;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether the connecting role may follow: a superuser may; any other role needs REPLICATION (for the slot),
 * CREATE on the database (for the publication) and ownership of every user table (to publish it and set its
 * replica identity; {@code FOR ALL TABLES} needs a superuser, so such a role publishes table by table).
 */
final class RoleRights {

    static final String CHECK = "role";
    private static final int NAMED = 5;

    private RoleRights() {}

    static List<Finding> check(Connection connection) throws SQLException {
        String role;
        boolean superuser;
        boolean replication;
        String database;
        try (PreparedStatement sql =
                        connection.prepareStatement("SELECT current_user, rolsuper, rolreplication, current_database()"
                                + " FROM pg_roles WHERE rolname = current_user");
                ResultSet rs = sql.executeQuery()) {
            rs.next();
            role = rs.getString(1);
            superuser = rs.getBoolean(2);
            replication = rs.getBoolean(3);
            database = rs.getString(4);
        }
        if (superuser) {
            return List.of(Finding.ok(CHECK, "role \"" + role + "\" is a superuser"));
        }
        List<Finding> findings = new ArrayList<>();
        if (!replication) {
            findings.add(Finding.refused(
                    CHECK,
                    "role \"" + role + "\" may not create a replication slot: grant it the REPLICATION attribute"
                            + " as a superuser (ALTER ROLE " + CatalogReads.quote(role) + " REPLICATION)"));
        }
        if (!CatalogReads.truth(connection, "SELECT has_database_privilege(current_database(), 'CREATE')")) {
            findings.add(Finding.refused(
                    CHECK,
                    "role \"" + role + "\" may not create the publication: GRANT CREATE ON DATABASE "
                            + CatalogReads.quote(database) + " TO " + CatalogReads.quote(role)));
        }
        List<String> notOwned = new ArrayList<>();
        Set<String> owners = new TreeSet<>();
        try (PreparedStatement sql = connection.prepareStatement(TABLES_NOT_OWNED);
                ResultSet rs = sql.executeQuery()) {
            while (rs.next()) {
                notOwned.add(rs.getString(1));
                owners.add(rs.getString(2));
            }
        }
        if (!notOwned.isEmpty()) {
            findings.add(Finding.refused(
                    CHECK,
                    "role \"" + role + "\" does not own " + notOwned.size() + " table(s) ("
                            + String.join(", ", notOwned.subList(0, Math.min(NAMED, notOwned.size())))
                            + (notOwned.size() > NAMED ? ", …" : "")
                            + "), and publishing a table or setting its replica identity needs its owner: run as the"
                            + " owner, or " + grants(owners, role)));
        }
        if (findings.isEmpty()) {
            findings.add(Finding.ok(
                    CHECK,
                    "role \"" + role + "\" has REPLICATION, may create a publication and owns every user table"));
        }
        return findings;
    }

    private static String grants(Set<String> owners, String role) {
        return owners.stream()
                .map(owner -> "GRANT " + CatalogReads.quote(owner) + " TO " + CatalogReads.quote(role))
                .reduce((a, b) -> a + "; " + b)
                .orElse("");
    }

    /** User tables whose owner the current role is not a member of. */
    private static final String TABLES_NOT_OWNED =
            "SELECT format('%I.%I', n.nspname, c.relname), pg_get_userbyid(c.relowner)"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind IN ('r', 'p') AND c.relpersistence <> 't' AND " + UserTables.SCHEMA_FILTER
                    + " AND NOT pg_has_role(c.relowner, 'USAGE') ORDER BY 1";
}
