package dev.ferry.pg;

import java.util.Optional;

/** A PostgresConfig built in code, as SmallRye would from POSTGRES_* variables. */
record TestPostgresConfig(
        Optional<String> host,
        int port,
        String db,
        Optional<String> user,
        Optional<String> password,
        Optional<String> sslmode,
        Optional<String> sslrootcert)
        implements PostgresConfig {

    static TestPostgresConfig of(String host, int port, String db, String user, String password) {
        return new TestPostgresConfig(
                Optional.ofNullable(host),
                port,
                db,
                Optional.ofNullable(user),
                Optional.ofNullable(password),
                Optional.empty(),
                Optional.empty());
    }

    TestPostgresConfig withSslmode(String mode) {
        return new TestPostgresConfig(host, port, db, user, password, Optional.ofNullable(mode), sslrootcert);
    }
}
