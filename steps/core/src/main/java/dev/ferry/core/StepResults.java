package dev.ferry.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes small step results, one file per result, into the results folder (Tekton's
 * {@code $(results.x.path)} files). Tekton caps all of a TaskRun's results at 4 KiB together, so
 * each value is kept short and a value that would blow the budget is refused loudly.
 */
public final class StepResults {

    /** A single result may use at most this much of Tekton's 4096-byte budget. */
    static final int MAX_RESULT_BYTES = 1024;

    private final Path folder;

    public StepResults(Path folder) {
        this.folder = folder;
    }

    public void write(String name, Object value) {
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("result name must be lowercase kebab-case: " + name);
        }
        byte[] bytes = String.valueOf(value).getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_RESULT_BYTES) {
            throw new IllegalArgumentException("result " + name + " is " + bytes.length
                    + " bytes; results must stay under " + MAX_RESULT_BYTES + " (large data belongs on the workspace)");
        }
        try {
            Files.createDirectories(folder);
            // No trailing newline: Tekton passes the file's bytes verbatim into $(tasks.t.results.r).
            Files.write(folder.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write result " + name + " to " + folder, e);
        }
    }
}
