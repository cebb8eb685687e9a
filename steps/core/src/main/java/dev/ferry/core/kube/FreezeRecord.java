package dev.ferry.core.kube;

import com.fasterxml.jackson.databind.JsonMappingException;
import dev.ferry.core.StepFailure;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.manifest.ManifestStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code freeze.json} on the workspace: the writers freeze stopped and the replica counts to bring
 * back. Same shape as the manifest's {@code freeze} section, so either can feed scale-up.
 */
public final class FreezeRecord {

    public static final String FILE_NAME = "freeze.json";

    private FreezeRecord() {
    }

    public static Path pathIn(Path workdir) {
        return workdir.resolve(FILE_NAME);
    }

    public static Optional<Manifest.Freeze> read(Path workdir) {
        Path file = pathIn(workdir);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(ManifestStore.json().readValue(file.toFile(), Manifest.Freeze.class));
        } catch (JsonMappingException e) {
            throw StepFailure.verificationFailed(file + " is not a freeze record: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw StepFailure.verificationFailed("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Atomic write: a crash never leaves a half-written record that scale-up would trust. */
    public static void write(Path workdir, Manifest.Freeze freeze) {
        ManifestStore.writeJson(pathIn(workdir), freeze);
    }
}
