package dev.ferry.testing.pg;

import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Testcontainers flavour of the source server: Onyx's own image, for machines with a Docker
 * engine. Tests that use it carry {@code @Testcontainers(disabledWithoutDocker = true)} and repeat
 * what an embedded-server test already covers, so they are never the only test of anything.
 */
public final class OnyxPostgresContainer {

    /** The image Onyx's Docker Compose files and old manifests run. */
    public static final String ONYX_IMAGE = "postgres:15.2-alpine";

    private OnyxPostgresContainer() {}

    /** A not yet started container of Onyx's image with a database named {@code onyx}. */
    public static PostgreSQLContainer create() {
        return new PostgreSQLContainer(DockerImageName.parse(ONYX_IMAGE))
                .withDatabaseName("onyx")
                .withUsername("onyx")
                .withPassword("onyx-password");
    }
}
