package dev.ferry.core.manifest;

import dev.ferry.core.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether a file is exactly the artifact the manifest describes. Every step that trusts a file because
 * the manifest lists it (upload before sending, download before placing, restore before restoring)
 * checks it here, the same way.
 */
public final class ArtifactCheck {

    private ArtifactCheck() {}

    /** What is wrong with {@code file} (size first, as it is cheap, then SHA-256), or empty when it matches. */
    public static Optional<String> mismatch(Path file, Manifest.Artifact expected) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.of(expected.path() + " is missing");
        }
        long size = Files.size(file);
        if (size != expected.size()) {
            return Optional.of(sizeMismatch(expected, size));
        }
        return mismatch(expected, size, Sha256.of(file));
    }

    /** The same judgement of a file whose size and SHA-256 are already known (hashed as it was written). */
    public static Optional<String> mismatch(Manifest.Artifact expected, long size, String sha256) {
        if (size != expected.size()) {
            return Optional.of(sizeMismatch(expected, size));
        }
        if (!sha256.equalsIgnoreCase(String.valueOf(expected.sha256()))) {
            return Optional.of(expected.path() + " has SHA-256 " + sha256 + ", the manifest says " + expected.sha256());
        }
        return Optional.empty();
    }

    private static String sizeMismatch(Manifest.Artifact expected, long size) {
        return expected.path() + " has " + size + " bytes, the manifest says " + expected.size();
    }
}
