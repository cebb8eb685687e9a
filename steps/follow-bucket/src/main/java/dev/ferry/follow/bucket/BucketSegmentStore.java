package dev.ferry.follow.bucket;

import dev.ferry.core.Sha256;
import dev.ferry.core.StepFailure;
import dev.ferry.crypto.EncryptedObjects;
import dev.ferry.crypto.Keyset;
import dev.ferry.crypto.ObjectEncryption;
import dev.ferry.follow.SegmentNames;
import dev.ferry.follow.SegmentStore;
import dev.ferry.s3.S3Transfer;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Segments as objects in the bucket, the only bridge between the clusters. Each goes up in one PUT with the SHA-256 of
 * its plain bytes in {@code x-amz-meta-sha256}, encrypted under the keyset's primary key when the key Secret gives one
 * (as upload does its artifacts); a PUT returns once the store has it, which is when capture confirms the slot. Reading
 * decrypts with the key the object names and proves the SHA-256 before a byte of it is applied.
 */
public final class BucketSegmentStore implements SegmentStore {

    private final S3Transfer store;
    private final FollowObjects objects;
    private final ObjectEncryption encryption;
    private final Optional<Keyset> writing;

    /** {@code encryption}'s keyset, when it has one, encrypts what {@link #put} stores; it is read once, here. */
    public BucketSegmentStore(S3Transfer store, FollowObjects objects, ObjectEncryption encryption) {
        this.store = store;
        this.objects = objects;
        this.encryption = encryption;
        this.writing = encryption.forWriting();
    }

    /** How segments are written, for the step's first log line: {@code none} or the scheme and key id. */
    public String describeEncryption() {
        return writing.map(k -> Keyset.SCHEME + "/key-id=" + k.primaryKeyId()).orElse("none");
    }

    @Override
    public void put(String name, byte[] bytes) {
        Map<String, String> metadata = new HashMap<>();
        metadata.put(S3Transfer.SHA256_METADATA, Sha256.of(bytes));
        byte[] body = bytes;
        if (writing.isPresent()) {
            body = writing.get().encrypt(bytes, objects.cipherName(name));
            metadata.putAll(EncryptedObjects.metadata(writing.get()));
        }
        store.putBytes(objects.segmentKey(name), body, "application/octet-stream", metadata);
    }

    /** Every object under the segments folder named as a segment, in LSN order; other names are no segments. */
    @Override
    public List<String> names() {
        String prefix = objects.segmentsPrefix();
        return store.list(prefix).stream()
                .map(S3Object::key)
                .map(key -> key.substring(prefix.length()))
                .filter(SegmentNames::isSegment)
                .sorted()
                .toList();
    }

    /**
     * The segment's plain bytes, decrypted when the object says it is encrypted, and only once its SHA-256 matches the
     * one it was stored with: a missing, undecryptable or altered segment is exit 4, never applied.
     */
    @Override
    public byte[] get(String name) {
        String key = objects.segmentKey(name);
        String subject = "segment " + store.layout().uri(key);
        Map<String, String> metadata = store.head(key)
                .map(HeadObjectResponse::metadata)
                .orElseThrow(() -> StepFailure.verificationFailed(subject + " was listed but is gone from the bucket"));
        byte[] body = store.getBytes(key)
                .orElseThrow(() -> StepFailure.verificationFailed(subject + " was listed but is gone from the bucket"));
        byte[] plain = body;
        Optional<Long> keyId = EncryptedObjects.keyIdIn(metadata);
        if (keyId.isPresent()) {
            Keyset keyset = encryption.forReading(subject, List.of(keyId.get()));
            try {
                plain = keyset.decrypt(body, objects.cipherName(name));
            } catch (IOException | RuntimeException e) {
                throw StepFailure.verificationFailed(ObjectEncryption.cannotDecrypt(subject, keyId.get())
                        + " (a segment copied onto another segment's name does not decrypt either)");
            }
        } else {
            encryption.allowUnencrypted(subject);
        }
        String expected = metadata.get(S3Transfer.SHA256_METADATA);
        if (expected == null) {
            throw StepFailure.verificationFailed(
                    subject + " carries no SHA-256 (x-amz-meta-" + S3Transfer.SHA256_METADATA
                            + "): it was not stored by capture, or the store dropped its metadata; it is not applied");
        }
        String actual = Sha256.of(plain);
        if (!actual.equalsIgnoreCase(expected)) {
            throw StepFailure.verificationFailed(subject + " has SHA-256 " + actual + " but was stored with " + expected
                    + ": it was damaged or changed in the bucket; it is not applied");
        }
        return plain;
    }

    @Override
    public String toString() {
        return store.layout().uri(objects.segmentsPrefix());
    }
}
