package dev.ferry.restore;

/**
 * A libpq connection string naming only the database. pg_restore and psql take {@code --dbname}
 * as a connection string when it contains {@code =}, so any database name (even one with spaces or
 * an {@code =}) arrives intact; host, user and password still come from the environment and passfile.
 */
final class PgConnInfo {

    private PgConnInfo() {}

    static String dbname(String database) {
        return "dbname='" + database.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
