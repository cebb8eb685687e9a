package dev.ferry.follow.bucket;

import dev.ferry.crypto.ObjectEncryption;
import dev.ferry.follow.SegmentNames;
import dev.ferry.follow.SegmentStore;
import dev.ferry.s3.S3Transfer;
import java.util.List;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Segments as objects in the bucket, the only bridge between the clusters, sealed as {@link SealedObjects} seals them:
 * the SHA-256 of the plain bytes beside each, encrypted when the key Secret gives a keyset. A PUT returns once the
 * store has it, which is when capture confirms the slot; a segment is applied only once its SHA-256 is proven.
 */
public final class BucketSegmentStore implements SegmentStore {

    private final S3Transfer store;
    private final FollowObjects objects;
    private final SealedObjects sealed;

    /** {@code encryption}'s keyset, when it has one, encrypts what {@link #put} stores; it is read once, here. */
    public BucketSegmentStore(S3Transfer store, FollowObjects objects, ObjectEncryption encryption) {
        this.store = store;
        this.objects = objects;
        this.sealed = new SealedObjects(store, objects, encryption);
    }

    /** How segments are written, for the step's first log line: {@code none} or the scheme and key id. */
    public String describeEncryption() {
        return sealed.describeEncryption();
    }

    @Override
    public void put(String name, byte[] bytes) {
        sealed.put(FollowObjects.SEGMENTS + name, bytes);
    }

    /** Every object under the segments folder named as a segment, in LSN order; other names are no segments. */
    @Override
    public List<String> names() {
        return namesAfter("");
    }

    @Override
    public List<String> namesAfter(String after) {
        String prefix = objects.segmentsPrefix();
        return store.list(prefix, after.isEmpty() ? "" : prefix + after).stream()
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
        return sealed.get(FollowObjects.SEGMENTS + name, "segment");
    }

    @Override
    public String toString() {
        return store.layout().uri(objects.segmentsPrefix());
    }
}
