package dev.ferry.dump;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * File moves that keep the workspace honest: output is written under a {@code .partial} name and
 * only renamed to its real name when complete, so a crash never leaves a half dump that looks done.
 */
final class DumpFiles {

    static final String PARTIAL_SUFFIX = ".partial";

    private DumpFiles() {
    }

    /** The temporary name output is written to before it is published. */
    static Path partial(Path finalPath) {
        return finalPath.resolveSibling("." + finalPath.getFileName() + PARTIAL_SUFFIX);
    }

    /** Replaces {@code finalPath} (file or folder) with {@code written}; for a folder the old one is moved aside first. */
    static void publish(Path written, Path finalPath) {
        try {
            if (Files.isDirectory(finalPath)) {
                // A non-empty folder cannot be replaced by one rename: move it aside, rename, then delete it.
                Path old = finalPath.resolveSibling("." + finalPath.getFileName() + ".old");
                deleteRecursively(old);
                Files.move(finalPath, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(written, finalPath, StandardCopyOption.ATOMIC_MOVE);
                deleteRecursively(old);
            } else {
                Files.move(written, finalPath, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + written + " to " + finalPath, e);
        }
    }

    static void deleteRecursively(Path path) {
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

    /** Bytes under {@code path}: the file's size, or the sum over a folder (pg_dump -Fd writes several files). */
    static long size(Path path) {
        if (!Files.exists(path)) {
            return 0;
        }
        if (!Files.isDirectory(path)) {
            try {
                return Files.size(path);
            } catch (IOException e) {
                return 0; // the file may be being renamed; the next poll sees it
            }
        }
        try (Stream<Path> all = Files.walk(path)) {
            return all.filter(Files::isRegularFile).mapToLong(DumpFiles::size).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0; // pg_dump may be creating files while we walk; the next poll counts them
        }
    }

    /** The regular files of a dump, relative to {@code workdir}, in a stable order. */
    static List<Path> filesOf(Path workdir, Path dump) {
        if (!Files.isDirectory(dump)) {
            return List.of(workdir.relativize(dump));
        }
        try (Stream<Path> all = Files.walk(dump)) {
            return all.filter(Files::isRegularFile).map(workdir::relativize).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dump, e);
        }
    }
}
