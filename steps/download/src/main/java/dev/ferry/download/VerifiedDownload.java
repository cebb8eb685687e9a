package dev.ferry.download;

import dev.ferry.core.StepFailure;
import dev.ferry.core.TransferProgress;
import dev.ferry.core.manifest.ArtifactCheck;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.AtomicFiles;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.s3.ObjectLayout;
import dev.ferry.s3.S3Transfer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Fetches every artifact of a manifest into the workspace: each goes to its partial name, is checked
 * (size, SHA-256) and only then published under its real name. On any failure every file this run
 * placed or started is removed again.
 */
record VerifiedDownload(S3Transfer store, Workspace workspace, Duration progressInterval) {

    private static final Logger LOG = Logger.getLogger(VerifiedDownload.class);

    /** Returns the bytes downloaded. */
    long download(Manifest manifest) throws IOException {
        ObjectLayout layout = store.layout();
        List<Path> placed = new ArrayList<>();
        Path partial = null;
        try {
            long downloaded = 0;
            for (Manifest.Artifact artifact : manifest.artifacts()) {
                Path target = workspace.artifactFile(artifact);
                Files.createDirectories(target.getParent());
                partial = AtomicFiles.partial(target);
                String key = layout.artifactKey(manifest.migrationId(), artifact.path());
                LOG.infof(
                        "phase=download artifact=%s bytes=%d ranges=%d",
                        artifact.path(), artifact.size(), store.rangesFor(artifact.size()));
                TransferProgress progress =
                        new TransferProgress("download", artifact.path(), artifact.size(), progressInterval);
                if (!store.downloadFile(key, partial, artifact.size(), progress)) {
                    throw StepFailure.verificationFailed("artifact " + artifact.path()
                            + " is listed in the manifest but " + layout.uri(key) + " does not exist");
                }
                progress.finish();
                Optional<String> problem = ArtifactCheck.mismatch(partial, artifact);
                if (problem.isPresent()) {
                    throw StepFailure.verificationFailed("downloaded artifact " + problem.get() + " (" + layout.uri(key)
                            + " is corrupted or was replaced)");
                }
                AtomicFiles.publish(partial, target);
                placed.add(target);
                partial = null;
                LOG.infof(
                        "phase=verify artifact=%s bytes=%d sha256=%s verdict=match",
                        artifact.path(), artifact.size(), artifact.sha256());
                downloaded += artifact.size();
            }
            return downloaded;
        } catch (RuntimeException | IOException failure) {
            int removed = 0;
            if (partial != null && Files.deleteIfExists(partial)) {
                removed++;
            }
            for (Path file : placed) {
                if (Files.deleteIfExists(file)) {
                    removed++;
                }
            }
            LOG.infof("phase=cleanup removed_files=%d reason=download_failed", removed);
            throw failure;
        }
    }
}
