package dev.ferry.upload;

import dev.ferry.core.ByteSizes;
import dev.ferry.core.StepFailure;
import dev.ferry.core.manifest.ArtifactCheck;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.Workspace;
import java.io.IOException;
import java.util.Optional;
import org.jboss.logging.Logger;

/** The workspace's artifacts checked against the manifest before a byte leaves: a differing file would upload a broken migration. */
final class LocalArtifacts {

    private static final Logger LOG = Logger.getLogger(LocalArtifacts.class);

    private LocalArtifacts() {}

    static void verify(Workspace workspace, Manifest manifest) throws IOException {
        for (Manifest.Artifact artifact : manifest.artifacts()) {
            Optional<String> problem = ArtifactCheck.mismatch(workspace.artifactFile(artifact), artifact);
            if (problem.isPresent()) {
                throw StepFailure.verificationFailed("local artifact " + problem.get()
                        + "; refusing to upload a dump that differs from its manifest");
            }
        }
        LOG.infof(
                "phase=verify_local migration=%s artifacts=%d bytes=%d size=%s",
                manifest.migrationId(),
                manifest.artifacts().size(),
                manifest.totalBytes(),
                ByteSizes.human(manifest.totalBytes()));
    }
}
