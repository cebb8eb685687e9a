package dev.ferry.rehearsal;

import java.util.Map;

/** How a step reaches one PostgreSQL database: the settings Onyx's own ConfigMap and Secret carry. */
public record DatabaseAccess(String host, int port, String database, String user, String password) {

    /** What Onyx's {@code env-configmap} holds for this database. */
    public Map<String, String> configMapData() {
        return Map.of("POSTGRES_HOST", host, "POSTGRES_PORT", Integer.toString(port), "POSTGRES_DB", database);
    }

    /** What Onyx's {@code onyx-postgresql} Secret holds (CloudNativePG basic-auth keys). */
    public Map<String, String> secretData() {
        return Map.of("username", user, "password", password);
    }

    @Override
    public String toString() {
        // Never the password: this ends up in the rehearsal's log.
        return user + "@" + host + ":" + port + "/" + database;
    }
}
