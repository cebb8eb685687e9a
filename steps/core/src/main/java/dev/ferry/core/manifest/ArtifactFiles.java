package dev.ferry.core.manifest;

import dev.ferry.core.Sha256;
import dev.ferry.core.StepFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An artifact's file on the workspace, and whether it is exactly what the manifest says. Every step
 * that trusts a file because the manifest lists it (upload before sending, download before placing,
 * restore before restoring) checks it here, the same way.
 */
public final class ArtifactFiles {

    private ArtifactFiles() {
    }

    /** The artifact's file inside {@code workdir}; a path that would escape it fails verification. */
    public static Path resolve(Path workdir, Manifest.Artifact artifact) {
        Path root = workdir.toAbsolutePath().normalize();
        Path file = artifact.path() == null ? root : root.resolve(artifact.path()).normalize();
        if (artifact.path() == null || Path.of(artifact.path()).isAbsolute() || !file.startsWith(root) || file.equals(root)) {
            throw StepFailure.verificationFailed("the manifest lists artifact path \"" + artifact.path()
                    + "\", which is not a relative path inside FERRY_WORKDIR");
        }
        return file;
    }

    /**
     * What is wrong with {@code file} compared with the manifest's entry (size first, as it is
     * cheap, then SHA-256), or empty when it matches.
     */
    public static Optional<String> mismatch(Path file, Manifest.Artifact expected) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.of(expected.path() + " is missing");
        }
        long size = Files.size(file);
        if (size != expected.size()) {
            return Optional.of(expected.path() + " has " + size + " bytes, the manifest says " + expected.size());
        }
        String sha256 = Sha256.of(file);
        if (!sha256.equalsIgnoreCase(String.valueOf(expected.sha256()))) {
            return Optional.of(expected.path() + " has SHA-256 " + sha256 + ", the manifest says " + expected.sha256());
        }
        return Optional.empty();
    }
}
