package dev.ferry.core.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Write-then-rename for everything Ferry puts on the workspace: output is written under its partial
 * name ({@code .<name>.partial} beside it) and renamed to its real name only when complete, so a
 * crash or a kill never leaves a half-written file that looks done. One name per target means a rerun
 * overwrites what a killed run left instead of piling up temporary files.
 */
public final class AtomicFiles {

    /** The one suffix of unfinished output; nothing ending in it is ever read as an artifact. */
    public static final String PARTIAL_SUFFIX = ".partial";

    private AtomicFiles() {}

    /** The hidden name {@code target} is written under before it is published. */
    public static Path partial(Path target) {
        return target.resolveSibling("." + target.getFileName() + PARTIAL_SUFFIX);
    }

    /**
     * Replaces {@code target} (a file or a folder) with {@code written}. A non-empty folder cannot be
     * replaced by one rename, so an existing one is moved aside first and deleted after.
     */
    public static void publish(Path written, Path target) {
        try {
            if (Files.isDirectory(target)) {
                Path old = target.resolveSibling("." + target.getFileName() + ".old");
                deleteRecursively(old);
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(written, target, StandardCopyOption.ATOMIC_MOVE);
                deleteRecursively(old);
            } else {
                Files.move(written, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + written + " to " + target, e);
        }
    }

    public static void write(Path target, byte[] content) {
        Path partial = partial(target);
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.write(partial, content);
            publish(partial, target);
        } catch (IOException | UncheckedIOException e) {
            deleteQuietly(partial);
            throw e instanceof UncheckedIOException unchecked
                    ? unchecked
                    : new UncheckedIOException("cannot write " + target, (IOException) e);
        }
    }

    public static void writeString(Path target, String text) {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    public static void writeJson(Path target, Object value) {
        write(target, JsonCodec.toBytes(value));
    }

    /** Deletes a file or a folder with everything in it; nothing there is fine. */
    public static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }

    /**
     * Deletes a file if it is there, best effort: used where a failure to delete is not the failure to
     * report (a write that already failed, a journal whose work is done).
     */
    public static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // Whatever called this has a better failure to report, or none.
        }
    }
}
