package dev.ferry.restore;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * globals.sql ({@code pg_dumpall --globals-only}) cut down to what this database's restore may do on a
 * target server that has roles of its own:
 * <ul>
 *   <li>the CREATE ROLE and ALTER ROLE lines of roles that exist there are dropped, so the target's own
 *       passwords and attributes (its superuser, an operator-managed application role) are never
 *       overwritten with the source's;</li>
 *   <li>so are those of roles the database does not refer to: pg_dumpall writes every role of the source
 *       server, and a shared server's other applications have no business on the target;</li>
 *   <li>a membership ({@code GRANT a TO b}) is kept only when it adds to a role this script creates, and
 *       {@code a} exists, is created too, or is predefined ({@code pg_*}).</li>
 * </ul>
 * Everything else (SET lines, comments) is kept. pg_dumpall writes each of these statements on one line,
 * which is what makes a line filter exact.
 */
final class GlobalsScript {

    // CREATE ROLE name; / ALTER ROLE name WITH …; / ALTER ROLE name SET …; with name quoted or plain.
    private static final String NAME = "(\"(?:[^\"]|\"\")+\"|[^\\s;\"]+)";
    private static final Pattern ROLE_STATEMENT = Pattern.compile("^(?:CREATE|ALTER) ROLE " + NAME + "[\\s;]");
    private static final Pattern MEMBERSHIP = Pattern.compile("^GRANT " + NAME + " TO " + NAME + "[\\s;]");

    private GlobalsScript() {}

    /**
     * The script to run, the roles it creates, those it leaves because the target has them, those it leaves
     * because the database does not refer to them, and the created roles that get their source password.
     */
    record Filtered(
            String sql,
            List<String> keptRoles,
            List<String> skippedRoles,
            List<String> unreferencedRoles,
            Set<String> rolesWithPassword) {}

    static Filtered forTarget(String globalsSql, Set<String> existingRoles, Set<String> referencedRoles) {
        String[] lines = globalsSql.split("\n", -1);
        Set<String> kept = new LinkedHashSet<>();
        Set<String> skipped = new LinkedHashSet<>();
        Set<String> unreferenced = new LinkedHashSet<>();
        for (String line : lines) {
            Matcher statement = ROLE_STATEMENT.matcher(line);
            if (statement.find()) {
                String role = unquote(statement.group(1));
                (existingRoles.contains(role) ? skipped : referencedRoles.contains(role) ? kept : unreferenced)
                        .add(role);
            }
        }
        StringBuilder out = new StringBuilder(globalsSql.length());
        Set<String> withPassword = new LinkedHashSet<>();
        for (String line : lines) {
            Matcher statement = ROLE_STATEMENT.matcher(line);
            Matcher membership = MEMBERSHIP.matcher(line);
            if (statement.find()) {
                String role = unquote(statement.group(1));
                if (!kept.contains(role)) {
                    out.append("-- ferry: skipped, role ")
                            .append(skipped.contains(role) ? "exists on the target" : "not referenced by this database")
                            .append('\n');
                    continue;
                }
                if (line.contains(" PASSWORD '")) {
                    withPassword.add(role);
                }
            } else if (membership.find()) {
                String granted = unquote(membership.group(1));
                String member = unquote(membership.group(2));
                boolean grantable =
                        kept.contains(granted) || existingRoles.contains(granted) || granted.startsWith("pg_");
                if (!kept.contains(member) || !grantable) {
                    out.append("-- ferry: skipped, membership of a role this script does not create\n");
                    continue;
                }
            }
            out.append(line).append('\n');
        }
        return new Filtered(
                out.toString(),
                List.copyOf(kept),
                List.copyOf(skipped),
                List.copyOf(unreferenced),
                Set.copyOf(withPassword));
    }

    static String unquote(String identifier) {
        return identifier.startsWith("\"")
                ? identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"")
                : identifier;
    }
}
