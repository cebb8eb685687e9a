package dev.ferry.testing.pg;

import java.util.HashMap;
import java.util.Map;

/** How a step reaches one PostgreSQL database: the settings Onyx's own ConfigMap and Secret carry. */
public record DatabaseAccess(String host, int port, String database, String user, String password) {

    /** A database of a local server, reached as its superuser. */
    public static DatabaseAccess superuser(PostgresServer server, String database) {
        return new DatabaseAccess(
                server.host(), server.port(), database, server.superuser(), server.superuserPassword());
    }

    /**
     * What a step's container sees once a Task has mapped the ConfigMap ({@code envFrom}) and the Secret's
     * keys ({@code POSTGRES_USER}, {@code POSTGRES_PASSWORD}); for running a step program directly.
     */
    public Map<String, String> stepEnvironment() {
        Map<String, String> env = new HashMap<>(configMapData());
        env.put("POSTGRES_USER", user);
        env.put("POSTGRES_PASSWORD", password);
        return env;
    }

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
