package dev.ferry.upload;

import dev.ferry.core.TransferProgress;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.AtomicFiles;
import dev.ferry.core.workspace.JsonCodec;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.crypto.EncryptedObjects;
import dev.ferry.crypto.Keyset;
import dev.ferry.s3.S3Transfer;
import dev.ferry.s3.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Artifacts encrypted on their way into the bucket: the file is read once, encrypted under the keyset's primary key
 * as it is read, and the ciphertext goes up part by part as it is produced, so no ciphertext (and no second copy of
 * the dump) is ever written to the workspace. What was stored (size, SHA-256, ETag, key id) is recorded beside the
 * transfer journals, so a rerun knows an object already in the bucket for what it is and does not send it again.
 */
record EncryptedArtifacts(S3Transfer store, Workspace workspace, Keyset keyset) {

    private static final String STORED = "stored";

    /** What a completed upload left in the workspace about the object it stored. */
    record StoredRecord(String key, String etag, Manifest.Stored stored) {}

    /** Encrypts the artifact's file into the object {@code key} and returns how it is stored. */
    Manifest.Stored send(String key, String migrationId, Manifest.Artifact artifact, TransferProgress progress)
            throws IOException {
        Map<String, String> metadata = new HashMap<>(EncryptedObjects.metadata(keyset));
        metadata.put(S3Transfer.SHA256_METADATA, artifact.sha256());
        Path file = workspace.artifactFile(artifact);
        String objectName = EncryptedObjects.objectName(migrationId, artifact.path());
        StoredObject stored = store.uploadStreamed(key, metadata, body -> {
            try (InputStream plaintext = Files.newInputStream(file);
                    OutputStream encrypting = keyset.encrypting(body, objectName)) {
                byte[] buffer = new byte[1 << 16];
                long read = 0;
                for (int n; (n = plaintext.read(buffer)) > 0; ) {
                    encrypting.write(buffer, 0, n);
                    read += n;
                    progress.set(read);
                }
            }
        });
        Manifest.Stored how = new Manifest.Stored(Keyset.SCHEME, keyset.primaryKeyId(), stored.size(), stored.sha256());
        AtomicFiles.writeJson(storedRecord(artifact), new StoredRecord(key, stored.etag(), how));
        return how;
    }

    /**
     * How the object {@code head} describes is stored, when it is this artifact encrypted by an earlier run under a
     * key this keyset still holds, as that run recorded it (same key, ETag and size): it need not go up again.
     */
    Optional<Manifest.Stored> alreadyStored(String key, Optional<HeadObjectResponse> head, Manifest.Artifact artifact) {
        Path recordFile = storedRecord(artifact);
        if (head.isEmpty() || !Files.isRegularFile(recordFile)) {
            return Optional.empty();
        }
        HeadObjectResponse object = head.get();
        Optional<StoredRecord> record;
        try {
            record = Optional.of(
                    JsonCodec.fromBytes(Files.readAllBytes(recordFile), StoredRecord.class, recordFile.toString()));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
        return record.filter(r -> key.equals(r.key()) && r.stored() != null)
                .filter(r -> r.etag() != null && r.etag().equals(object.eTag()))
                .filter(r -> object.contentLength() != null
                        && object.contentLength() == r.stored().size())
                .filter(r ->
                        artifact.sha256().equalsIgnoreCase(object.metadata().get(S3Transfer.SHA256_METADATA)))
                .filter(r -> EncryptedObjects.keyIdIn(object.metadata()).orElse(-1L)
                        == r.stored().keyId())
                .filter(r -> keyset.canDecrypt(r.stored().keyId()))
                .map(StoredRecord::stored);
    }

    private Path storedRecord(Manifest.Artifact artifact) {
        return workspace.transferJournal(STORED, artifact);
    }
}
