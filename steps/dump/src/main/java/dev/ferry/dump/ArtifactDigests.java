package dev.ferry.dump;

import dev.ferry.core.Sha256;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.ArtifactKind;
import dev.ferry.core.workspace.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/** Size and SHA-256 of every file of an output, as manifest artifacts with paths relative to the workspace. */
final class ArtifactDigests {

    private static final Logger LOG = Logger.getLogger(ArtifactDigests.class);

    private ArtifactDigests() {}

    static List<Manifest.Artifact> of(Workspace workspace, Path output, ArtifactKind kind) {
        long started = System.nanoTime();
        List<Manifest.Artifact> artifacts = new ArrayList<>();
        long bytes = 0;
        for (Path file : DumpFiles.filesOf(output)) {
            try {
                long size = Files.size(file);
                bytes += size;
                artifacts.add(new Manifest.Artifact(workspace.relativePath(file), kind, size, Sha256.of(file)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot digest " + file, e);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        LOG.infof(
                "phase=sha256 kind=%s files=%d bytes=%d seconds=%.1f", kind.label(), artifacts.size(), bytes, seconds);
        return artifacts;
    }
}
