package dev.ferry.testing.pg;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The PostgreSQL majors the tests run: a source that Debian's pg_dump 15 can read, a newer target,
 * one in between, 17 and the newest (18). Versions come from the parent POM (filtered into a resource), not from here.
 */
public enum PgMajor {
    /** The server a dump is taken from (14 by default): older than the local pg_dump. */
    SOURCE,
    /** The 15 line, the major of Onyx's own {@code postgres:15.2-alpine} image. */
    EXTRA,
    /** The server a dump is restored into (16 by default): newer than the local pg_dump. */
    TARGET,
    /** The newest line (17): PostgreSQL 17's client tools dump and restore it, and the benchmark's target. */
    LATEST,
    /** The newest line (18): a restore target only (pg_restore 17 writes into it); nothing dumps it here. */
    NEWEST;

    private static final Properties VERSIONS = load();

    /** The zonky binaries version, e.g. {@code 14.22.0}. */
    public String binariesVersion() {
        String version = VERSIONS.getProperty(name());
        if (version == null || version.startsWith("$")) {
            throw new IllegalStateException("ferry-pg-binaries.properties was not filtered by the build");
        }
        return version;
    }

    /** The server's major version number, e.g. 14. */
    public int majorVersion() {
        return Integer.parseInt(binariesVersion().substring(0, binariesVersion().indexOf('.')));
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = PgMajor.class.getResourceAsStream("/ferry-pg-binaries.properties")) {
            if (in == null) {
                throw new IllegalStateException("ferry-pg-binaries.properties is missing from test-support");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
