package dev.ferry.crypto;

import java.util.Map;
import java.util.Optional;

/**
 * How an encrypted object is named to its cipher and described to the store, the same for upload (which writes)
 * and download (which reads): the associated data is the object's name within its migration, so a copy moved
 * across prefixes or buckets still decrypts while one moved onto another object's name does not; the metadata
 * says which scheme and key id wrote it (never the key), for a person browsing the bucket and for a rerun.
 */
public final class EncryptedObjects {

    /** User metadata (x-amz-meta-ferry-encryption): the scheme, present only on encrypted objects. */
    public static final String ENCRYPTION_METADATA = "ferry-encryption";

    /** User metadata (x-amz-meta-ferry-key-id): the id of the key the object was encrypted under. */
    public static final String KEY_ID_METADATA = "ferry-key-id";

    private EncryptedObjects() {}

    /** The name the cipher binds an object to: its path within the migration's folder. */
    public static String objectName(String migrationId, String path) {
        return migrationId + "/" + path;
    }

    /** The metadata an object encrypted under {@code keyset}'s primary key carries besides its own. */
    public static Map<String, String> metadata(Keyset keyset) {
        return Map.of(ENCRYPTION_METADATA, Keyset.SCHEME, KEY_ID_METADATA, Long.toString(keyset.primaryKeyId()));
    }

    /** The key id an object's metadata names, when it says it is encrypted. */
    public static Optional<Long> keyIdIn(Map<String, String> metadata) {
        if (!metadata.containsKey(ENCRYPTION_METADATA)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(metadata.getOrDefault(KEY_ID_METADATA, "")));
        } catch (NumberFormatException unreadable) {
            return Optional.of(-1L);
        }
    }
}
