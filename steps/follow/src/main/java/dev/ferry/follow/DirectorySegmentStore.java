package dev.ferry.follow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Segments as files in one folder: written under a hidden partial name, forced to disk, renamed, and the folder
 * forced too, so a segment either exists whole after a crash or not at all.
 */
public final class DirectorySegmentStore implements SegmentStore {

    private final Path folder;

    public DirectorySegmentStore(Path folder) {
        this.folder = folder;
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the segment folder " + folder, e);
        }
    }

    @Override
    public void put(String name, byte[] bytes) {
        Path target = folder.resolve(name);
        Path partial = folder.resolve("." + name + ".partial");
        try {
            try (FileChannel out = FileChannel.open(
                    partial,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
                directory.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store segment " + target, e);
        }
    }

    @Override
    public List<String> names() {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(SegmentNames::isSegment)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    @Override
    public byte[] get(String name) {
        try {
            return Files.readAllBytes(folder.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read segment " + folder.resolve(name), e);
        }
    }

    @Override
    public String toString() {
        return folder.toString();
    }
}
