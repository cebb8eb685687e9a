package dev.ferry.download;

import dev.ferry.core.StepFailure;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.AtomicFiles;
import dev.ferry.core.workspace.JsonCodec;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.crypto.Keyset;
import dev.ferry.crypto.SealedInventory;
import dev.ferry.s3.ObjectLayout;
import dev.ferry.s3.S3Transfer;
import org.jboss.logging.Logger;

/**
 * A migration's manifest as stored in the bucket: its exact bytes (placed in the workspace as they are,
 * so fields this version does not know survive) and what they say, checked to belong to the migration
 * asked for and to list something.
 */
record RemoteManifest(Manifest manifest, byte[] json) {

    private static final Logger LOG = Logger.getLogger(RemoteManifest.class);

    static RemoteManifest fetch(S3Transfer store, String migrationId) {
        ObjectLayout layout = store.layout();
        String uri = layout.uri(layout.manifestKey(migrationId));
        byte[] json = store.getBytes(layout.manifestKey(migrationId))
                .orElseThrow(() -> StepFailure.verificationFailed("no manifest at " + uri + ": migration \""
                        + migrationId + "\" does not exist or its upload never completed"));
        Manifest manifest = Manifest.checked(JsonCodec.fromBytes(json, Manifest.class, "the manifest at " + uri), uri);
        if (!migrationId.equals(manifest.migrationId())) {
            throw StepFailure.verificationFailed("the manifest at " + uri + " belongs to migration \""
                    + manifest.migrationId() + "\", not \"" + migrationId + "\"");
        }
        if (manifest.artifacts().isEmpty()) {
            throw StepFailure.verificationFailed("the manifest at " + uri + " lists no artifacts");
        }
        LOG.infof(
                "phase=manifest migration=%s artifacts=%d bytes=%d",
                migrationId, manifest.artifacts().size(), manifest.totalBytes());
        return new RemoteManifest(manifest, json);
    }

    /**
     * This manifest made whole with {@code keyset}: an encrypted migration's stored manifest keeps what is computed
     * from the data's values in its sealed inventory, which validate needs in the workspace.
     */
    RemoteManifest openedWith(Keyset keyset, String uri) {
        byte[] whole = SealedInventory.open(json, manifest.migrationId(), keyset);
        return whole == json
                ? this
                : new RemoteManifest(
                        Manifest.checked(JsonCodec.fromBytes(whole, Manifest.class, "the manifest at " + uri), uri),
                        whole);
    }

    /** Written last, after every artifact verified: its presence is what tells restore the workspace is complete. */
    void placeIn(Workspace workspace) {
        AtomicFiles.write(workspace.manifestFile(), json);
    }
}
