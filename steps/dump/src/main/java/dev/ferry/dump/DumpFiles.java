package dev.ferry.dump;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The files of pg_dump's output, which is one file (custom format) or a folder of them (directory format). */
final class DumpFiles {

    private DumpFiles() {}

    /** Bytes under {@code path}: the file's size, or the sum over a folder, read while pg_dump may still write. */
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

    /** The regular files of a dump in a stable order. */
    static List<Path> filesOf(Path dump) {
        if (!Files.isDirectory(dump)) {
            return List.of(dump);
        }
        try (Stream<Path> all = Files.walk(dump)) {
            return all.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dump, e);
        }
    }
}
