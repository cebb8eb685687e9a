package dev.ferry.core.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ferry.core.StepFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Reads and writes {@code manifest.json}. Writes go through a temporary file and an atomic rename,
 * so a crash mid-write never leaves a truncated manifest that a later step would trust.
 */
public final class ManifestStore {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .build();

    private ManifestStore() {
    }

    /** The JSON mapper Ferry uses for every file it writes (manifest, freeze record, reports). */
    public static ObjectMapper json() {
        return JSON;
    }

    public static Path pathIn(Path workdir) {
        return workdir.resolve(Manifest.FILE_NAME);
    }

    /** Reads the manifest in {@code workdir}; a missing or unreadable one is a verification failure. */
    public static Manifest read(Path workdir) {
        Path file = pathIn(workdir);
        try {
            return JSON.readValue(file.toFile(), Manifest.class);
        } catch (NoSuchFileException e) {
            throw StepFailure.verificationFailed("no manifest at " + file);
        } catch (IOException e) {
            if (!Files.exists(file)) {
                throw StepFailure.verificationFailed("no manifest at " + file);
            }
            throw StepFailure.verificationFailed("manifest " + file + " is not valid: " + e.getMessage());
        }
    }

    public static void write(Path workdir, Manifest manifest) {
        writeJson(pathIn(workdir), manifest);
    }

    /** Writes any value as JSON atomically (temp file in the same folder, then rename). */
    public static void writeJson(Path file, Object value) {
        try {
            Path folder = file.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            Path temp = Files.createTempFile(folder, "." + file.getFileName(), ".tmp");
            try {
                JSON.writeValue(temp.toFile(), value);
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
