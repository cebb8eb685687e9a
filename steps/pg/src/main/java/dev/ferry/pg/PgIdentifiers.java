package dev.ferry.pg;

/** SQL identifier quoting by PostgreSQL's rules, for names like {@code "user"} or {@code tenant_<uuid>} with hyphens. */
public final class PgIdentifiers {

    private PgIdentifiers() {}

    /** Always quotes: {@code user} → {@code "user"}, {@code a"b} → {@code "a""b"}. */
    public static String quote(String identifier) {
        if (identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("identifier contains a NUL character");
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    public static String qualified(String schema, String name) {
        return quote(schema) + "." + quote(name);
    }
}
