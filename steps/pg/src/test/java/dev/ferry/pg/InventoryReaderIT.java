package dev.ferry.pg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.manifest.Inventory;
import dev.ferry.core.manifest.Inventory.SequenceValue;
import dev.ferry.core.manifest.Inventory.TableRows;
import dev.ferry.testing.pg.OnyxFixture;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The inventory of the Onyx fixture on the source and the target major, both layouts. */
class InventoryReaderIT {

    static final Map<PgMajor, PostgresServer> SERVERS = new java.util.EnumMap<>(PgMajor.class);

    @BeforeAll
    static void start() throws Exception {
        for (PgMajor major : List.of(PgMajor.SOURCE, PgMajor.TARGET)) {
            PostgresServer server = PostgresServer.start(major);
            SERVERS.put(major, server);
            server.createDatabase("single");
            server.createDatabase("multi");
            try (Connection single = server.connect("single");
                    Connection multi = server.connect("multi")) {
                OnyxFixture.singleTenant().install(single);
                OnyxFixture.multiTenant().install(multi);
                try (Statement sql = single.createStatement()) {
                    // A name that only survives correct quoting, and a partitioned table.
                    sql.execute(
                            "CREATE TABLE public.\"Odd \"\"name\"\"\" (id int); INSERT INTO public.\"Odd \"\"name\"\"\" VALUES (1), (2)");
                    sql.execute(
                            "CREATE TABLE public.events (id int, at date) PARTITION BY RANGE (at);"
                                    + "CREATE TABLE public.events_2025 PARTITION OF public.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');"
                                    + "INSERT INTO public.events SELECT i, date '2025-01-01' + i FROM generate_series(1, 30) i");
                }
            }
        }
    }

    @AfterAll
    static void stop() {
        SERVERS.values().forEach(PostgresServer::close);
    }

    Inventory read(PgMajor major, String db) throws Exception {
        try (Connection c = SERVERS.get(major).connect(db)) {
            return new InventoryReader().read(c);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = PgMajor.class,
            names = {"SOURCE", "TARGET"})
    void single_tenant_inventory_matches_the_fixture(PgMajor major) throws Exception {
        OnyxFixture fixture = OnyxFixture.singleTenant();
        Inventory inventory = read(major, "single");

        assertThat(inventory.schemas()).containsExactly("public");
        Map<String, Long> rows =
                inventory.tables().stream().collect(Collectors.toMap(TableRows::qualifiedName, TableRows::rows));
        assertThat(rows)
                .containsEntry("public.user", (long) fixture.users())
                .containsEntry("public.chat_message", (long) fixture.chatMessages())
                .containsEntry("public.document", (long) fixture.documents())
                .containsEntry("public.file_content", (long) fixture.largeObjectsPerSchema())
                .containsEntry("public.tool", 0L)
                .containsEntry("public.Odd \"name\"", 2L)
                .containsEntry("public.events", 30L)
                .containsEntry("public.events_2025", 30L);
        assertThat(rows.keySet())
                .containsAll(
                        OnyxFixture.ONYX_TABLES.stream().map(t -> "public." + t).toList());

        Map<String, SequenceValue> sequences =
                inventory.sequences().stream().collect(Collectors.toMap(SequenceValue::qualifiedName, s -> s));
        assertThat(sequences.get("public.connector_id_seq").lastValue()).isEqualTo(1001L);
        assertThat(sequences.get("public.index_attempt_id_seq").lastValue()).isEqualTo(52001L);
        assertThat(sequences.get("public.document_set_id_seq").lastValue()).isEqualTo(77L);
        assertThat(sequences.get("public.tool_id_seq").lastValue()).isNull();

        assertThat(inventory.largeObjects()).isEqualTo(fixture.largeObjectsPerSchema());
        assertThat(inventory.extensions()).extracting(Inventory.Extension::name).containsExactly("pg_trgm", "pgcrypto");
        assertThat(inventory.extensions())
                .allSatisfy(e -> assertThat(e.version()).matches("\\d+\\.\\d+"));
        assertThat(inventory.roles())
                .contains(OnyxFixture.READONLY_ROLE, PostgresServer.SUPERUSER)
                .noneMatch(r -> r.startsWith("pg_"));
        assertThat(inventory.alembicVersions()).containsExactly(Map.entry("public", List.of(OnyxFixture.ALEMBIC_HEAD)));
        assertThat(inventory.databaseSizeBytes()).isGreaterThan(1_000_000L);
    }

    @ParameterizedTest
    @EnumSource(
            value = PgMajor.class,
            names = {"SOURCE", "TARGET"})
    void multi_tenant_inventory_has_every_tenant_schema_and_its_alembic_version(PgMajor major) throws Exception {
        OnyxFixture fixture = OnyxFixture.multiTenant();
        Inventory inventory = read(major, "multi");

        assertThat(inventory.schemas())
                .containsExactlyInAnyOrderElementsOf(java.util.stream.Stream.concat(
                                java.util.stream.Stream.of("public"), OnyxFixture.TENANT_SCHEMAS.stream())
                        .toList());
        Map<String, Long> rows =
                inventory.tables().stream().collect(Collectors.toMap(TableRows::qualifiedName, TableRows::rows));
        for (String tenant : OnyxFixture.TENANT_SCHEMAS) {
            assertThat(rows)
                    .containsEntry(tenant + ".user", (long) fixture.users())
                    .containsEntry(tenant + ".chat_message", (long) fixture.chatMessages());
            assertThat(inventory.alembicVersions()).containsEntry(tenant, List.of(OnyxFixture.ALEMBIC_HEAD));
        }
        assertThat(rows)
                .containsEntry("public.user_tenant_mapping", 2L * fixture.users())
                .containsEntry("public.available_tenant", 2L);
        assertThat(inventory.alembicVersions())
                .containsEntry("public", List.of(OnyxFixture.ALEMBIC_PRIVATE_HEAD))
                .hasSize(3);
        assertThat(inventory.largeObjects()).isEqualTo(2L * fixture.largeObjectsPerSchema());
    }
}
