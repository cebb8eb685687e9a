package dev.ferry.testing;

import dev.ferry.core.Sha256;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.ArtifactKind;
import dev.ferry.core.workspace.DumpFormat;
import dev.ferry.core.workspace.Workspace;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A workdir as dump leaves it, without needing Postgres: random artifact files of chosen sizes and a
 * {@code manifest.json} that lists each with its size and SHA-256.
 */
public final class ArtifactFixture {

    private final Path workdir;
    private final Random random;
    private final List<Manifest.Artifact> artifacts = new ArrayList<>();

    public ArtifactFixture(Path workdir, long seed) {
        this.workdir = workdir;
        this.random = new Random(seed);
    }

    /** Adds a file of {@code size} random bytes at {@code path} (relative to the workdir). */
    public ArtifactFixture file(String path, ArtifactKind kind, long size) throws IOException {
        Path file = workdir.resolve(path);
        Files.createDirectories(file.getParent());
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
        artifacts.add(new Manifest.Artifact(path, kind, size, Sha256.of(file)));
        return this;
    }

    /** Adds a file at {@code path} holding {@code line} repeated {@code times} times (text a reader would recognise). */
    public ArtifactFixture textFile(String path, ArtifactKind kind, String line, int times) throws IOException {
        Path file = workdir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, line.repeat(times));
        artifacts.add(new Manifest.Artifact(path, kind, Files.size(file), Sha256.of(file)));
        return this;
    }

    /** Writes the manifest for {@code migrationId} listing every file added so far, and returns it. */
    public Manifest writeManifest(String migrationId, Instant createdAt) {
        Manifest manifest = new Manifest(
                Manifest.FORMAT_VERSION,
                migrationId,
                createdAt,
                new Manifest.Source("14.22", 14, "postgres", "15.20"),
                new Manifest.DumpSettings(DumpFormat.CUSTOM, "gzip:6", 1, false),
                artifacts,
                null,
                null,
                null);
        Workspace.at(workdir).writeManifest(manifest);
        return manifest;
    }
}
