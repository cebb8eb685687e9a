package dev.ferry.follow.bucket;

import dev.ferry.core.StepFailure;
import dev.ferry.core.config.FerryConfig;
import dev.ferry.crypto.EncryptedObjects;
import dev.ferry.s3.ObjectLayout;

/**
 * Where a follow lives in the bucket, in one place, beside its migration's artifacts:
 * {@code <prefix>/<migration-id>/follow/segments/<end LSN>.segment.jsonl.gz}, capture's heartbeat and apply's
 * progress. Capture (old cluster) and apply (new cluster) both derive every key from here.
 */
public record FollowObjects(ObjectLayout layout, String migrationId) {

    /** The follow's folder within the migration's: also the start of every segment's name to its cipher. */
    public static final String FOLDER = "follow/";

    public static final String SEGMENTS = FOLDER + "segments/";
    public static final String HEARTBEAT = FOLDER + "capture-heartbeat.json";
    public static final String APPLY_PROGRESS = FOLDER + "apply-progress.json";
    public static final String FINAL_STATE = FOLDER + "final-state.json";
    /** The drain's word that the cutover holds ({@link CutoverCommit}). */
    public static final String CUTOVER_COMMITTED = FOLDER + "cutover-committed.json";
    /** What apply found of the target's large objects (oid, owner, md5), so the drain carries only what differs. */
    public static final String TARGET_LARGE_OBJECTS = FOLDER + "target-large-objects.json";
    /** The bytes of each large object the drain carries, as {@code <oid>}. */
    public static final String LARGE_OBJECTS = FOLDER + "large-objects/";

    /** FERRY_MIGRATION_ID, which every follow step on either cluster needs: exit 2 naming it when unset. */
    public static String requiredMigrationId(FerryConfig ferry) {
        return ferry.givenMigrationId()
                .orElseThrow(() -> StepFailure.badConfiguration("FERRY_MIGRATION_ID is not set: it names the follow's"
                        + " folder in the bucket (<FERRY_S3_PREFIX>/<id>/follow/), the same for capture, apply and"
                        + " abandon"));
    }

    public FollowObjects {
        layout.migrationFolder(migrationId); // an invalid id is refused here, before any key is made from it
    }

    /** The key prefix every segment's key starts with. */
    public String segmentsPrefix() {
        return layout.migrationFolder(migrationId) + SEGMENTS;
    }

    public String segmentKey(String name) {
        return segmentsPrefix() + name;
    }

    /** The key of {@code path} within the migration's folder ({@code follow/…}). */
    public String key(String path) {
        return layout.migrationFolder(migrationId) + path;
    }

    public String heartbeatKey() {
        return layout.migrationFolder(migrationId) + HEARTBEAT;
    }

    public String applyProgressKey() {
        return layout.migrationFolder(migrationId) + APPLY_PROGRESS;
    }

    /**
     * The name a segment's ciphertext is bound to: its path within the migration, as for every encrypted artifact, so
     * a segment moved onto another segment's name does not decrypt.
     */
    public String cipherName(String segmentName) {
        return cipherNameOf(SEGMENTS + segmentName);
    }

    /** The name the ciphertext of the object at {@code path} within the migration ({@code follow/…}) is bound to. */
    public String cipherNameOf(String path) {
        return EncryptedObjects.objectName(migrationId, path);
    }
}
