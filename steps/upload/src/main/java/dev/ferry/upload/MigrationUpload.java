package dev.ferry.upload;

import dev.ferry.core.Sha256;
import dev.ferry.core.StepStop;
import dev.ferry.core.TransferProgress;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.manifest.PhaseTiming;
import dev.ferry.core.workspace.AtomicFiles;
import dev.ferry.core.workspace.JsonCodec;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.crypto.EncryptedObjects;
import dev.ferry.crypto.SealedInventory;
import dev.ferry.s3.ObjectLayout;
import dev.ferry.s3.S3Transfer;
import dev.ferry.s3.UploadOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Puts one migration into the bucket: the artifacts the store does not already hold with the same size
 * and SHA-256 (so a rerun sends only what is missing), then the manifest, last. A completed upload
 * whose objects are about to change loses its manifest first, so a reader never sees a manifest that lies.
 * An artifact whose multipart upload a killed run left open goes on from the parts the store already
 * holds (its journal names the upload); every other open upload under the migration is aborted.
 */
record MigrationUpload(
        S3Transfer store,
        Workspace workspace,
        Duration progressInterval,
        Instant startedAt,
        Optional<EncryptedArtifacts> encrypted) {

    private static final Logger LOG = Logger.getLogger(MigrationUpload.class);
    private static final String UPLOAD = "upload";

    /** Bytes sent by this run, bytes of open uploads it took over, artifacts already stored, where the manifest is. */
    record Outcome(long uploadedBytes, long resumedBytes, int skipped, String manifestUri) {}

    Outcome upload(Manifest manifest) {
        ObjectLayout layout = store.layout();
        String migrationId = manifest.migrationId();
        store.checkBucket();
        LOG.infof(
                "phase=connect endpoint=%s bucket=%s target=%s",
                store.endpoint(), layout.bucket(), layout.uri(layout.migrationFolder(migrationId)));

        String folder = layout.migrationFolder(migrationId);
        int stale = store.abortOpenUploads(folder, resumableUploads(manifest));
        if (stale > 0) {
            LOG.infof("phase=prepare aborted_stale_uploads=%d reason=left_open_by_an_earlier_run", stale);
        }

        List<Manifest.Artifact> toSend = new ArrayList<>();
        Map<String, Manifest.Stored> storedAs = new HashMap<>();
        for (Manifest.Artifact artifact : manifest.artifacts()) {
            String key = layout.artifactKey(migrationId, artifact.path());
            Optional<HeadObjectResponse> head = store.head(key);
            Optional<Manifest.Stored> earlier = encrypted.flatMap(e -> e.alreadyStored(key, head, artifact));
            earlier.ifPresent(how -> storedAs.put(artifact.path(), how));
            if (encrypted.isPresent() ? earlier.isPresent() : alreadyStoredPlain(head, artifact)) {
                LOG.infof(
                        "phase=upload artifact=%s skipped=true reason=already_stored_with_same_size_and_sha256",
                        artifact.path());
                // A run killed between completing the upload and removing its journal leaves one behind.
                AtomicFiles.deleteQuietly(workspace.transferJournal(UPLOAD, artifact));
            } else {
                toSend.add(artifact);
            }
        }

        String manifestKey = layout.manifestKey(migrationId);
        if (!toSend.isEmpty() && store.head(manifestKey).isPresent()) {
            store.delete(manifestKey);
            LOG.infof("phase=invalidate manifest=%s reason=artifacts_change", layout.uri(manifestKey));
        }

        long uploadedBytes = 0;
        long resumedBytes = 0;
        // Parts of an upload that will never complete are stored (and billed) until aborted: on failure,
        // and on SIGTERM, which skips this method's own handling. Only a run killed outright (or one that
        // cannot reach the store to abort) leaves its upload open, for the next run to take over.
        StepStop.Registration abortOnStop = StepStop.onStop(() -> abortQuietly(folder, toSend));
        try {
            for (Manifest.Artifact artifact : toSend) {
                TransferProgress progress =
                        new TransferProgress("upload", artifact.path(), artifact.size(), progressInterval);
                String key = layout.artifactKey(migrationId, artifact.path());
                if (encrypted.isPresent()) {
                    Manifest.Stored how = encrypted.get().send(key, migrationId, artifact, progress);
                    storedAs.put(artifact.path(), how);
                    uploadedBytes += how.size();
                    LOG.infof(
                            "phase=upload artifact=%s encrypted=%s key_id=%d stored_bytes=%d",
                            artifact.path(), how.encryption(), how.keyId(), how.size());
                } else {
                    UploadOutcome sent = store.uploadFile(
                            key,
                            workspace.artifactFile(artifact),
                            artifact.size(),
                            artifact.sha256(),
                            workspace.transferJournal(UPLOAD, artifact),
                            progress);
                    uploadedBytes += sent.sentBytes();
                    resumedBytes += sent.reusedBytes();
                }
                progress.finish();
            }
        } catch (IOException e) {
            abortQuietly(folder, toSend);
            throw new UncheckedIOException(e);
        } catch (RuntimeException failed) {
            abortQuietly(folder, toSend);
            throw failed;
        } finally {
            abortOnStop.close();
        }

        Instant completedAt = Instant.now();
        Manifest completed = manifest.withArtifacts(manifest.artifacts().stream()
                        .map(a -> a.storedAs(storedAs.get(a.path())))
                        .toList())
                .withUpload(new Manifest.Upload(layout.bucket(), layout.prefix(), completedAt))
                .withTimeline(exportTimeline(
                        manifest, new PhaseTiming(UPLOAD, migrationId, startedAt, completedAt, uploadedBytes)));
        byte[] json = JsonCodec.toBytes(completed);
        // Encrypted: what is computed from the data's values travels only inside the sealed inventory.
        byte[] stored = encrypted
                .map(e -> SealedInventory.seal(json, migrationId, e.keyset()))
                .orElse(json);
        store.putBytes(manifestKey, stored, Map.of(S3Transfer.SHA256_METADATA, Sha256.of(stored)));
        workspace.writeManifest(completed);
        LOG.infof("phase=manifest uri=%s", layout.uri(manifestKey));
        return new Outcome(
                uploadedBytes, resumedBytes, manifest.artifacts().size() - toSend.size(), layout.uri(manifestKey));
    }

    /**
     * The export side's steps (freeze, dump: this workspace's timeline) and this upload, so the import side's
     * report can draw the whole outage: the manifest is all that crosses to the new cluster.
     */
    private List<PhaseTiming> exportTimeline(Manifest manifest, PhaseTiming upload) {
        List<PhaseTiming> recorded = new ArrayList<>(workspace.readTimeline());
        recorded.add(upload);
        return manifest.timelineWith(recorded);
    }

    /**
     * The ids of the open uploads this run may take over: those the artifacts' journals name for exactly
     * these files. Which of their parts still hold the file's bytes is decided per artifact, from ListParts.
     */
    private Set<String> resumableUploads(Manifest manifest) {
        Set<String> ids = new HashSet<>();
        for (Manifest.Artifact artifact : manifest.artifacts()) {
            store.resumableUploadId(
                            workspace.transferJournal(UPLOAD, artifact),
                            store.layout().artifactKey(manifest.migrationId(), artifact.path()),
                            artifact.size(),
                            artifact.sha256())
                    .ifPresent(ids::add);
        }
        return ids;
    }

    /** Best effort: when the store itself is gone, so is the chance to abort, and the first failure is what counts. */
    private void abortQuietly(String folder, List<Manifest.Artifact> sending) {
        try {
            int aborted = store.abortOpenUploads(folder);
            sending.forEach(artifact -> AtomicFiles.deleteQuietly(workspace.transferJournal(UPLOAD, artifact)));
            LOG.infof("phase=cleanup aborted_uploads=%d", aborted);
        } catch (RuntimeException unreachable) {
            LOG.warnf(
                    "phase=cleanup note=\"could not abort open multipart uploads under %s; a rerun aborts them\" error=\"%s\"",
                    folder, unreachable.getMessage());
        }
    }

    /** An unencrypted object of exactly this file; an encrypted one of the same file is not what this run stores. */
    private static boolean alreadyStoredPlain(Optional<HeadObjectResponse> head, Manifest.Artifact artifact) {
        return head.filter(h -> h.contentLength() != null && h.contentLength() == artifact.size())
                .filter(h -> EncryptedObjects.keyIdIn(h.metadata()).isEmpty())
                .map(h -> h.metadata().get(S3Transfer.SHA256_METADATA))
                .filter(sha -> sha.equalsIgnoreCase(artifact.sha256()))
                .isPresent();
    }
}
