package dev.ferry.download;

import dev.ferry.core.Sha256;
import dev.ferry.core.StepFailure;
import dev.ferry.core.StepStop;
import dev.ferry.core.TransferProgress;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.AtomicFiles;
import dev.ferry.crypto.EncryptedObjects;
import dev.ferry.crypto.Keyset;
import dev.ferry.crypto.ObjectEncryption;
import dev.ferry.s3.S3Transfer;
import dev.ferry.s3.StreamedDownload;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * One encrypted artifact fetched and decrypted in the same pass: the object is read in order (the next ranges on
 * their way meanwhile), each 1 MiB segment is authenticated before its plaintext is written, and the SHA-256 of
 * the object as stored and of the plaintext are computed on the way and proven against the manifest. The
 * ciphertext never touches the disk; the plaintext goes to the partial file, which is removed whenever the
 * artifact does not come out whole and proven (a failure, a wrong key, a flipped byte, SIGTERM), so no partial
 * plaintext is left behind. There is nothing to resume from: a rerun fetches the object again.
 */
record DecryptedDownload(S3Transfer store, Keyset keyset, Duration progressInterval) {

    /** Fetches, decrypts and proves the artifact stored under {@code key} into {@code partial}. */
    void fetch(String migrationId, Manifest.Artifact artifact, String key, Path partial) throws IOException {
        Manifest.Stored stored = artifact.stored();
        String uri = store.layout().uri(key);
        String subject = artifact.path() + " (" + uri + ")";
        StepStop.Registration removeOnStop = StepStop.onStop(() -> AtomicFiles.deleteQuietly(partial));
        boolean proven = false;
        try {
            TransferProgress progress =
                    new TransferProgress("download", artifact.path(), stored.size(), progressInterval);
            MessageDigest plaintextSha = Sha256.newDigest();
            long plaintextBytes = 0;
            try (StreamedDownload object = store.openStreamed(key, stored.size(), progress::set);
                    InputStream plaintext =
                            keyset.decrypting(object, EncryptedObjects.objectName(migrationId, artifact.path()));
                    OutputStream file = Files.newOutputStream(partial)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = read(plaintext, buffer, subject, stored.keyId())) > 0; ) {
                    plaintextSha.update(buffer, 0, n);
                    file.write(buffer, 0, n);
                    plaintextBytes += n;
                }
                progress.finish();
                proveStored(object, stored, subject);
            } catch (NoSuchKeyException missing) {
                throw StepFailure.verificationFailed(
                        "artifact " + artifact.path() + " is listed in the manifest but " + uri + " does not exist");
            }
            String sha = Sha256.hex(plaintextSha);
            if (plaintextBytes != artifact.size() || !sha.equalsIgnoreCase(artifact.sha256())) {
                throw StepFailure.verificationFailed("decrypted artifact " + artifact.path() + " has " + plaintextBytes
                        + " bytes with SHA-256 " + sha + ", the manifest says " + artifact.size() + " bytes with "
                        + artifact.sha256() + " (" + uri + " was replaced by another object under the same key)");
            }
            proven = true;
        } finally {
            removeOnStop.close();
            if (!proven) {
                AtomicFiles.deleteQuietly(partial);
            }
        }
    }

    /** One read of the plaintext; a segment that does not authenticate (or no key that opens it) is exit 4. */
    private static int read(InputStream plaintext, byte[] buffer, String subject, long keyId) {
        try {
            return plaintext.read(buffer);
        } catch (IOException doesNotDecrypt) {
            throw StepFailure.verificationFailed(ObjectEncryption.cannotDecrypt(subject, keyId));
        }
    }

    /** The object as stored: every byte read, exactly as many as the manifest says, with its SHA-256. */
    private static void proveStored(StreamedDownload object, Manifest.Stored stored, String subject)
            throws IOException {
        if (object.read() != -1 || object.bytesRead() != stored.size()) {
            throw StepFailure.verificationFailed(
                    "stored object " + subject + " is longer than the " + stored.size() + " bytes the manifest says");
        }
        String sha = object.storedSha256();
        if (!sha.equalsIgnoreCase(stored.sha256())) {
            throw StepFailure.verificationFailed("stored object " + subject + " has SHA-256 " + sha
                    + ", the manifest says " + stored.sha256() + " (it is corrupted or was replaced)");
        }
    }
}
