package dev.ferry.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.manifest.Inventory;
import dev.ferry.core.manifest.Inventory.SchemaObject;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SealedInventoryTest {

    @Test
    void the_printed_definitions_of_schema_objects_travel_only_sealed_and_come_back_whole() {
        String check = "CHECK (((status)::text = ANY ((ARRAY['PROCESSING'::character varying])::text[])))";
        Inventory inventory = new Inventory(
                        List.of("public"), List.of(), List.of(), 0, List.of(), List.of(), Map.of(), 0)
                .withSchemaObjects(
                        List.of(new SchemaObject("constraint", "public.user_file.ck_user_file_status", "md5", check)),
                        List.of("constraint", "policy"));
        Manifest manifest = new Manifest(
                Manifest.FORMAT_VERSION,
                "m-1",
                Instant.parse("2026-12-06T00:00:00Z"),
                new Manifest.Source("15.2", 15, "onyx", "15.20"),
                null,
                List.of(),
                inventory,
                null,
                null);
        Keyset keyset = Keyset.generate();

        byte[] stored = SealedInventory.seal(JsonCodec.toBytes(manifest), "m-1", keyset);
        Manifest opened = JsonCodec.fromBytes(SealedInventory.open(stored, "m-1", keyset), Manifest.class, "test");

        assertThat(new String(stored, StandardCharsets.UTF_8))
                .doesNotContain("PROCESSING")
                .doesNotContain("ck_user_file_status");
        assertThat(opened.inventory().schemaObjects())
                .singleElement()
                .extracting(SchemaObject::definition)
                .isEqualTo(check);
        assertThat(opened.inventory().schemaObjectKinds()).containsExactly("constraint", "policy");
    }
}
