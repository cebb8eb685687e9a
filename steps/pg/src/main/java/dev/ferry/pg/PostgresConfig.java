package dev.ferry.pg;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * The Postgres connection, named as Onyx names it (its ConfigMap and {@code postgresql-secret} can be
 * mounted as they are). Host, user and password have no default: steps that connect call
 * {@link dev.ferry.core.config.Settings#required} so a missing one is a one-line exit 2, not a boot crash.
 */
@ConfigMapping(prefix = "postgres")
public interface PostgresConfig {

    /**
     * POSTGRES_HOST: server host name or address: the source for dump, the target for restore, validate and
     * alembic-run, the watched server for freeze with FERRY_FREEZE_WAIT_CONNECTIONS. Required where a
     * step connects (a one-line exit 2 otherwise).
     */
    Optional<String> host();

    /** POSTGRES_PORT: server port. */
    @WithDefault("5432")
    int port();

    /** POSTGRES_DB: the Onyx database (Onyx's own default is {@code postgres}; do not assume). */
    @WithDefault("postgres")
    String db();

    /**
     * POSTGRES_USER: role to connect as; dump needs one that reads every table and large object, restore
     * one that may create the database and roles (a superuser, or the owner with CREATEDB/CREATEROLE).
     */
    Optional<String> user();

    /** POSTGRES_PASSWORD: its password; reaches tools through a 0600 passfile, never argv or logs. */
    Optional<String> password();

    /** POSTGRES_SSLMODE: the libpq sslmode (disable, prefer, require, verify-ca, verify-full); PGSSLMODE also works. */
    Optional<String> sslmode();

    /** POSTGRES_SSLROOTCERT: CA bundle for verify-ca/verify-full; PGSSLROOTCERT also works. */
    Optional<String> sslrootcert();
}
