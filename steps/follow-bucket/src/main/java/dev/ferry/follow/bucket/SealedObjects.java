package dev.ferry.follow.bucket;

import dev.ferry.core.Sha256;
import dev.ferry.core.StepFailure;
import dev.ferry.crypto.EncryptedObjects;
import dev.ferry.crypto.Keyset;
import dev.ferry.crypto.ObjectEncryption;
import dev.ferry.s3.S3Transfer;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * A follow's objects that hold row data (segments, the final state): each goes up in one PUT with the SHA-256 of its
 * plain bytes in {@code x-amz-meta-sha256}, encrypted under the keyset's primary key when the key Secret gives one (as
 * upload does its artifacts), bound to its name so an object copied onto another name does not decrypt. Reading
 * decrypts with the key the object names and proves the SHA-256 before a byte of it is used.
 */
public final class SealedObjects {

    private final S3Transfer store;
    private final FollowObjects objects;
    private final ObjectEncryption encryption;
    private final Optional<Keyset> writing;

    /** {@code encryption}'s keyset, when it has one, encrypts what {@link #put} stores; it is read once, here. */
    public SealedObjects(S3Transfer store, FollowObjects objects, ObjectEncryption encryption) {
        this.store = store;
        this.objects = objects;
        this.encryption = encryption;
        this.writing = encryption.forWriting();
    }

    /** How objects are written, for a step's first log line: {@code none} or the scheme and key id. */
    public String describeEncryption() {
        return writing.map(k -> Keyset.SCHEME + "/key-id=" + k.primaryKeyId()).orElse("none");
    }

    /** Stores {@code bytes} at {@code path} within the migration's folder (e.g. {@code follow/final-state.json}). */
    public void put(String path, byte[] bytes) {
        Map<String, String> metadata = new HashMap<>();
        metadata.put(S3Transfer.SHA256_METADATA, Sha256.of(bytes));
        byte[] body = bytes;
        if (writing.isPresent()) {
            body = writing.get().encrypt(bytes, objects.cipherNameOf(path));
            metadata.putAll(EncryptedObjects.metadata(writing.get()));
        }
        store.putBytes(objects.key(path), body, "application/octet-stream", metadata);
    }

    /** Whether an object is stored at {@code path}. */
    public boolean exists(String path) {
        return store.head(objects.key(path)).isPresent();
    }

    /**
     * The plain bytes at {@code path}, decrypted when the object says it is encrypted, and only once their SHA-256
     * matches the one they were stored with: a missing, undecryptable or altered object is exit 4. {@code what} names
     * it in messages ("segment", "final state").
     */
    public byte[] get(String path, String what) {
        String key = objects.key(path);
        String subject = what + " " + store.layout().uri(key);
        Map<String, String> metadata = store.head(key)
                .map(HeadObjectResponse::metadata)
                .orElseThrow(() -> StepFailure.verificationFailed(subject + " is not in the bucket"));
        byte[] body = store.getBytes(key)
                .orElseThrow(() -> StepFailure.verificationFailed(subject + " is not in the bucket"));
        byte[] plain = body;
        Optional<Long> keyId = EncryptedObjects.keyIdIn(metadata);
        if (keyId.isPresent()) {
            Keyset keyset = encryption.forReading(subject, List.of(keyId.get()));
            try {
                plain = keyset.decrypt(body, objects.cipherNameOf(path));
            } catch (IOException | RuntimeException e) {
                throw StepFailure.verificationFailed(ObjectEncryption.cannotDecrypt(subject, keyId.get())
                        + " (an object copied onto another object's name does not decrypt either)");
            }
        } else {
            encryption.allowUnencrypted(subject);
        }
        String expected = metadata.get(S3Transfer.SHA256_METADATA);
        if (expected == null) {
            throw StepFailure.verificationFailed(
                    subject + " carries no SHA-256 (x-amz-meta-" + S3Transfer.SHA256_METADATA
                            + "): it was not stored by Ferry, or the store dropped its metadata; it is not used");
        }
        String actual = Sha256.of(plain);
        if (!actual.equalsIgnoreCase(expected)) {
            throw StepFailure.verificationFailed(subject + " has SHA-256 " + actual + " but was stored with " + expected
                    + ": it was damaged or changed in the bucket; it is not used");
        }
        return plain;
    }
}
