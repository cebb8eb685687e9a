package dev.ferry.follow;

import java.util.regex.Pattern;

/** SQL identifiers as PostgreSQL writes them: quoted always in statements, only where needed in messages. */
final class Identifiers {

    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");

    private Identifiers() {}

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** A string literal; standard_conforming_strings is on in every supported major. */
    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    static String quoteIfNeeded(String identifier) {
        return PLAIN.matcher(identifier).matches() && !RESERVED.contains(identifier) ? identifier : quote(identifier);
    }

    /** The reserved words a table or schema of Onyx's is likely to be named: {@code user} above all. */
    private static final java.util.Set<String> RESERVED =
            java.util.Set.of("user", "order", "group", "table", "select", "where", "from", "limit", "offset");
}
