package dev.ferry.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.StepFailure;
import dev.ferry.core.workspace.JsonCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;

/**
 * The manifest as an encrypted migration stores it in the bucket: readable enough to find and judge the migration
 * (its id, source, artifacts, and the inventory's schemas, tables with their row counts and sizes, extensions,
 * roles, alembic versions), while everything computed from the data's values (content and sample digests,
 * sequence values, large objects' digest, schema objects' and roles' details) travels only inside
 * {@code sealedInventory}: the whole inventory, encrypted like the artifacts and bound to the manifest's name.
 * download opens it with the keyset and places the whole manifest in the workspace, where validate needs it.
 */
public final class SealedInventory {

    static final String FIELD = "sealedInventory";
    private static final String INVENTORY = "inventory";
    private static final List<String> VALUE_DERIVED =
            List.of("sequences", "largeObjectsDigest", "schemaObjects", "roleFacts");
    private static final List<String> TABLE_VALUE_DERIVED = List.of("contentDigest", "sample");

    private SealedInventory() {}

    /** {@code manifestJson} with its inventory sealed under {@code keyset}'s primary key; as it is without one. */
    public static byte[] seal(byte[] manifestJson, String migrationId, Keyset keyset) {
        ObjectMapper mapper = JsonCodec.mapper();
        try {
            JsonNode tree = mapper.readTree(manifestJson);
            JsonNode inventory = tree.path(INVENTORY);
            if (!(tree instanceof ObjectNode manifest) || !(inventory instanceof ObjectNode whole)) {
                return manifestJson;
            }
            byte[] ciphertext = keyset.encrypt(mapper.writeValueAsBytes(whole), objectName(migrationId));
            ObjectNode readable = whole.deepCopy();
            readable.remove(VALUE_DERIVED);
            readable.path("tables").forEach(table -> ((ObjectNode) table).remove(TABLE_VALUE_DERIVED));
            manifest.set(INVENTORY, readable);
            ObjectNode sealed = manifest.putObject(FIELD);
            sealed.put("encryption", Keyset.SCHEME);
            sealed.put("keyId", keyset.primaryKeyId());
            sealed.put("ciphertext", Base64.getEncoder().encodeToString(ciphertext));
            return mapper.writeValueAsBytes(manifest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot seal the inventory of migration " + migrationId, e);
        }
    }

    /**
     * The stored manifest made whole: its inventory replaced by the sealed one, opened with {@code keyset}. One that
     * does not open (wrong key, a changed byte) is exit 4, named like an artifact that does not decrypt.
     */
    public static byte[] open(byte[] storedJson, String migrationId, Keyset keyset) {
        ObjectMapper mapper = JsonCodec.mapper();
        try {
            JsonNode tree = mapper.readTree(storedJson);
            JsonNode sealed = tree.path(FIELD);
            if (!(tree instanceof ObjectNode manifest) || sealed.isMissingNode()) {
                return storedJson;
            }
            long keyId = sealed.path("keyId").asLong(-1);
            String subject = "the inventory in the manifest of migration \"" + migrationId + "\"";
            byte[] inventory;
            try {
                inventory = keyset.decrypt(
                        Base64.getDecoder().decode(sealed.path("ciphertext").asText("")), objectName(migrationId));
            } catch (IOException | IllegalArgumentException doesNotOpen) {
                throw StepFailure.verificationFailed(ObjectEncryption.cannotDecrypt(subject, keyId));
            }
            manifest.set(INVENTORY, mapper.readTree(inventory));
            manifest.remove(FIELD);
            return mapper.writeValueAsBytes(manifest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the manifest of migration " + migrationId, e);
        }
    }

    private static String objectName(String migrationId) {
        return EncryptedObjects.objectName(migrationId, "manifest.json#inventory");
    }
}
