package dev.ferry.rehearsal;

import java.util.Map;

/** How a step reaches one PostgreSQL database: the settings Onyx's own ConfigMap and Secret carry. */
public record DatabaseAccess(String host, int port, String database, String user, String password) {

    /** The POSTGRES_* environment a step program reads. */
    public Map<String, String> stepEnvironment() {
        return Map.of(
                "POSTGRES_HOST", host,
                "POSTGRES_PORT", Integer.toString(port),
                "POSTGRES_DB", database,
                "POSTGRES_USER", user,
                "POSTGRES_PASSWORD", password);
    }

    @Override
    public String toString() {
        // Never the password: this ends up in the rehearsal's log.
        return user + "@" + host + ":" + port + "/" + database;
    }
}
