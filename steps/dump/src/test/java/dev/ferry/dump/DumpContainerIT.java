package dev.ferry.dump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.Sha256;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.testing.StepProgram;
import dev.ferry.testing.StepRun;
import dev.ferry.testing.pg.OnyxFixture;
import dev.ferry.testing.pg.OnyxPostgresContainer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The dump of the multi-tenant fixture from Onyx's own image (postgres:15.2-alpine), where a Docker
 * engine exists; skipped without one. DumpIT covers the same on an embedded server.
 */
@Testcontainers(disabledWithoutDocker = true)
class DumpContainerIT {

    @Container
    static final PostgreSQLContainer POSTGRES = OnyxPostgresContainer.create();

    @TempDir
    Path workdir;

    @Test
    void dumps_the_fixture_from_onyx_image() throws Exception {
        try (Connection c =
                DriverManager.getConnection(POSTGRES.getJdbcUrl(), POSTGRES.getUsername(), POSTGRES.getPassword())) {
            OnyxFixture.multiTenant().install(c);
        }
        StepRun outcome = StepProgram.at(DumpIT.PROGRAM)
                .run(
                        Map.of(
                                "POSTGRES_HOST", POSTGRES.getHost(),
                                "POSTGRES_PORT", Integer.toString(POSTGRES.getMappedPort(5432)),
                                "POSTGRES_DB", POSTGRES.getDatabaseName(),
                                "POSTGRES_USER", POSTGRES.getUsername(),
                                "POSTGRES_PASSWORD", POSTGRES.getPassword(),
                                "FERRY_WORKDIR", workdir.toString()),
                        Duration.ofMinutes(3));

        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        Manifest manifest = Workspace.at(workdir).readManifest();
        assertThat(manifest.source().serverVersion()).startsWith("15.2");
        assertThat(manifest.inventory().schemas()).containsAll(OnyxFixture.TENANT_SCHEMAS);
        Manifest.Artifact dump = manifest.artifacts().get(0);
        assertThat(dump.sha256()).isEqualTo(Sha256.of(workdir.resolve(dump.path())));
    }
}
