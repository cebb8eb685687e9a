package dev.ferry.upload;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ferry.core.ByteSizes;
import dev.ferry.core.Sha256;
import dev.ferry.core.StepCommand;
import dev.ferry.core.StepFailure;
import dev.ferry.core.StepResults;
import dev.ferry.core.TransferProgress;
import dev.ferry.core.config.FerryConfig;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.manifest.ManifestStore;
import dev.ferry.core.manifest.ArtifactFiles;
import dev.ferry.core.s3.AwsConfig;
import dev.ferry.core.s3.ObjectLayout;
import dev.ferry.core.s3.S3Settings;
import dev.ferry.core.s3.S3Transfer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The upload step: sends every artifact of the dump to object storage, then the manifest last, so a
 * migration folder without {@code manifest.json} always means "incomplete, never restore".
 */
public class UploadCommand extends StepCommand {

    private static final Logger LOG = Logger.getLogger(UploadCommand.class);
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);

    @Inject
    FerryConfig ferry;

    @Inject
    AwsConfig aws;

    @Inject
    S3Settings s3;

    @Override
    protected String stepName() {
        return "upload";
    }

    @Override
    protected void execute(String... args) throws IOException {
        Path workdir = ferry.workdir();
        Manifest manifest = ManifestStore.read(workdir);
        String migrationId = checkedMigrationId(manifest);
        long totalBytes = verifyLocalArtifacts(workdir, manifest);

        try (S3Transfer store = S3Transfer.open(aws, s3)) {
            ObjectLayout layout = store.layout();
            store.checkBucket();
            LOG.infof("phase=connect endpoint=%s bucket=%s target=%s", store.endpoint(), layout.bucket(),
                    layout.uri(layout.migrationFolder(migrationId)));

            List<Manifest.Artifact> toSend = new ArrayList<>();
            for (Manifest.Artifact artifact : manifest.artifacts()) {
                String key = layout.artifactKey(migrationId, artifact.path());
                if (alreadyStored(store.head(key), artifact)) {
                    LOG.infof("phase=upload artifact=%s skipped=true reason=already-stored-with-same-size-and-sha256",
                            artifact.path());
                } else {
                    toSend.add(artifact);
                }
            }

            String manifestKey = layout.manifestKey(migrationId);
            if (!toSend.isEmpty() && store.head(manifestKey).isPresent()) {
                // A previous upload of this id completed; its objects are about to change, so the old
                // manifest goes first: a reader sees "incomplete", never a manifest that lies.
                store.delete(manifestKey);
                LOG.infof("phase=invalidate manifest=%s reason=artifacts-change", layout.uri(manifestKey));
            }

            long uploadedBytes = 0;
            for (Manifest.Artifact artifact : toSend) {
                String key = layout.artifactKey(migrationId, artifact.path());
                TransferProgress progress = new TransferProgress("upload", artifact.path(), artifact.size(),
                        PROGRESS_INTERVAL);
                store.uploadFile(key, ArtifactFiles.resolve(workdir, artifact),
                        Map.of(S3Transfer.SHA256_METADATA, artifact.sha256()), progress);
                progress.finish();
                uploadedBytes += artifact.size();
            }

            Manifest completed = manifest.withUpload(new Manifest.Upload(layout.bucket(), layout.prefix(), Instant.now()));
            byte[] json = serialize(completed);
            store.putBytes(manifestKey, json, Map.of(S3Transfer.SHA256_METADATA, sha256(json)));
            ManifestStore.write(workdir, completed);
            LOG.infof("phase=manifest uri=%s", layout.uri(manifestKey));

            StepResults results = new StepResults(ferry.effectiveResultsDir());
            results.write("migration-id", migrationId);
            results.write("uploaded-bytes", uploadedBytes);
            results.write("manifest-uri", layout.uri(manifestKey));
            LOG.infof("summary migration=%s artifacts=%d uploaded=%s skipped=%d total=%s manifest=%s", migrationId,
                    manifest.artifacts().size(), ByteSizes.human(uploadedBytes),
                    manifest.artifacts().size() - toSend.size(), ByteSizes.human(totalBytes), layout.uri(manifestKey));
        }
    }

    private String checkedMigrationId(Manifest manifest) {
        String migrationId = manifest.migrationId();
        if (!ObjectLayout.isValidMigrationId(migrationId)) {
            throw StepFailure.verificationFailed("manifest.json names migration id '" + migrationId
                    + "', which is not a valid id (letters, digits, '.', '_', '-')");
        }
        Optional<String> given = ferry.migrationId().filter(s -> !s.isBlank());
        if (given.isPresent() && !given.get().equals(migrationId)) {
            throw StepFailure.badConfiguration("FERRY_MIGRATION_ID is '" + given.get()
                    + "' but manifest.json in FERRY_WORKDIR belongs to migration '" + migrationId + "'");
        }
        if (manifest.artifacts().isEmpty()) {
            throw StepFailure.verificationFailed("manifest.json lists no artifacts: nothing to upload");
        }
        return migrationId;
    }

    /** A local file that differs from the manifest would upload a broken migration: stop before sending anything. */
    private static long verifyLocalArtifacts(Path workdir, Manifest manifest) throws IOException {
        long total = 0;
        for (Manifest.Artifact artifact : manifest.artifacts()) {
            Optional<String> problem = ArtifactFiles.mismatch(ArtifactFiles.resolve(workdir, artifact), artifact);
            if (problem.isPresent()) {
                throw StepFailure.verificationFailed("local artifact " + problem.get()
                        + "; refusing to upload a dump that differs from its manifest");
            }
            total += artifact.size();
        }
        LOG.infof("phase=verify-local migration=%s artifacts=%d bytes=%d size=%s", manifest.migrationId(),
                manifest.artifacts().size(), total, ByteSizes.human(total));
        return total;
    }

    private static boolean alreadyStored(Optional<HeadObjectResponse> head, Manifest.Artifact artifact) {
        return head.filter(h -> h.contentLength() != null && h.contentLength() == artifact.size())
                .map(h -> h.metadata().get(S3Transfer.SHA256_METADATA))
                .filter(sha -> sha.equalsIgnoreCase(artifact.sha256()))
                .isPresent();
    }

    private static byte[] serialize(Manifest manifest) {
        try {
            return ManifestStore.json().writeValueAsBytes(manifest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the manifest", e);
        }
    }

    private static String sha256(byte[] content) {
        MessageDigest digest = Sha256.newDigest();
        return HexFormat.of().formatHex(digest.digest(content));
    }
}
