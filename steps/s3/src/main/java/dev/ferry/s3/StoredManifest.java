package dev.ferry.s3;

import dev.ferry.core.StepFailure;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.AtomicFiles;
import dev.ferry.core.workspace.JsonCodec;
import dev.ferry.core.workspace.Workspace;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A migration's manifest as stored in the bucket: its exact bytes (placed in a workspace as they are, so fields this
 * version does not know survive) and what they say, checked to belong to the migration asked for and to list
 * something. Download reads it to fetch the migration; follow-apply to learn where the follow's base copy was taken.
 */
public record StoredManifest(Manifest manifest, byte[] json) {

    private static final Logger LOG = Logger.getLogger(StoredManifest.class);

    /** The manifest of {@code migrationId}; none stored is exit 4 (the migration does not exist or is incomplete). */
    public static StoredManifest fetch(S3Transfer store, String migrationId) {
        return find(store, migrationId)
                .orElseThrow(() -> StepFailure.verificationFailed("no manifest at " + uri(store, migrationId)
                        + ": migration \"" + migrationId + "\" does not exist or its upload never completed"));
    }

    /** The manifest of {@code migrationId}, checked as {@link #fetch} does, or empty when none is stored (yet). */
    public static Optional<StoredManifest> find(S3Transfer store, String migrationId) {
        Optional<StoredManifest> stored = store.getBytes(store.layout().manifestKey(migrationId))
                .map(json -> checked(json, migrationId, uri(store, migrationId)));
        stored.ifPresent(found -> LOG.infof(
                "phase=manifest migration=%s artifacts=%d bytes=%d",
                migrationId,
                found.manifest().artifacts().size(),
                found.manifest().totalBytes()));
        return stored;
    }

    /** {@code json} read as the manifest of {@code migrationId} stored at {@code uri}, checked. */
    public static StoredManifest checked(byte[] json, String migrationId, String uri) {
        Manifest manifest = Manifest.checked(JsonCodec.fromBytes(json, Manifest.class, "the manifest at " + uri), uri);
        if (!migrationId.equals(manifest.migrationId())) {
            throw StepFailure.verificationFailed("the manifest at " + uri + " belongs to migration \""
                    + manifest.migrationId() + "\", not \"" + migrationId + "\"");
        }
        if (manifest.artifacts().isEmpty()) {
            throw StepFailure.verificationFailed("the manifest at " + uri + " lists no artifacts");
        }
        return new StoredManifest(manifest, json);
    }

    /** Written last, after every artifact verified: its presence is what tells restore the workspace is complete. */
    public void placeIn(Workspace workspace) {
        AtomicFiles.write(workspace.manifestFile(), json);
    }

    private static String uri(S3Transfer store, String migrationId) {
        return store.layout().uri(store.layout().manifestKey(migrationId));
    }
}
