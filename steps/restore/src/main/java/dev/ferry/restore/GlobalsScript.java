package dev.ferry.restore;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * globals.sql ({@code pg_dumpall --globals-only}) made safe for a target that already has roles:
 * the CREATE ROLE and ALTER ROLE lines of roles that exist there are dropped, so the target's own
 * passwords and attributes (its superuser, an operator-managed application role) are never
 * overwritten with the source's. Everything else (new roles, memberships) is kept.
 * pg_dumpall writes each of these statements on one line, which is what makes a line filter exact.
 */
final class GlobalsScript {

    // CREATE ROLE name; / ALTER ROLE name WITH …; / ALTER ROLE name SET …; with name quoted or plain.
    private static final Pattern ROLE_STATEMENT =
            Pattern.compile("^(?:CREATE|ALTER) ROLE (\"(?:[^\"]|\"\")+\"|[^\\s;\"]+)[\\s;]");

    private GlobalsScript() {}

    record Filtered(String sql, List<String> keptRoles, List<String> skippedRoles) {}

    static Filtered withoutExistingRoles(String globalsSql, Set<String> existingRoles) {
        StringBuilder out = new StringBuilder(globalsSql.length());
        List<String> kept = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String line : globalsSql.split("\n", -1)) {
            Matcher statement = ROLE_STATEMENT.matcher(line);
            if (statement.find()) {
                String role = unquote(statement.group(1));
                List<String> bucket = existingRoles.contains(role) ? skipped : kept;
                if (!bucket.contains(role)) {
                    bucket.add(role);
                }
                if (existingRoles.contains(role)) {
                    out.append("-- ferry: skipped, role exists on the target: ")
                            .append(line.startsWith("CREATE") ? "CREATE ROLE" : "ALTER ROLE")
                            .append('\n');
                    continue;
                }
            }
            out.append(line).append('\n');
        }
        return new Filtered(out.toString(), kept, skipped);
    }

    static String unquote(String identifier) {
        return identifier.startsWith("\"")
                ? identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"")
                : identifier;
    }
}
