package dev.ferry.pg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.manifest.Inventory;
import dev.ferry.testing.pg.OnyxFixture;
import dev.ferry.testing.pg.OnyxPostgresContainer;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The same inventory on Onyx's own image (postgres:15.2-alpine) where a Docker engine exists; skipped
 * without one. InventoryReaderIT covers the same ground on embedded servers.
 */
@Testcontainers(disabledWithoutDocker = true)
class InventoryReaderContainerIT {

    @Container
    static final PostgreSQLContainer POSTGRES = OnyxPostgresContainer.create();

    @Test
    void reads_the_multi_tenant_fixture_on_onyx_image() throws Exception {
        try (Connection c =
                DriverManager.getConnection(POSTGRES.getJdbcUrl(), POSTGRES.getUsername(), POSTGRES.getPassword())) {
            OnyxFixture.multiTenant().install(c);
            Inventory inventory = new InventoryReader().read(c);
            assertThat(inventory.schemas()).containsAll(OnyxFixture.TENANT_SCHEMAS);
            assertThat(inventory.largeObjects())
                    .isEqualTo(2L * OnyxFixture.multiTenant().largeObjectsPerSchema());
            assertThat(inventory.roles()).contains(OnyxFixture.READONLY_ROLE);
        }
    }
}
