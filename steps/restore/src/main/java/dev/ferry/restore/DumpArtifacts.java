package dev.ferry.restore;

import dev.ferry.core.Sha256;
import dev.ferry.core.StepFailure;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.manifest.Manifest.Artifact;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The dump as the manifest describes it, checked on the workspace before anything touches the
 * target: every artifact must exist with its exact size and SHA-256, or nothing is restored.
 *
 * <p>Artifact kinds: {@code dump} (the pg_dump output: one file in custom format, or every file of a
 * directory-format dump, whose folder holds {@code toc.dat}) and {@code globals} (globals.sql).
 */
record DumpArtifacts(Path dumpInput, String format, Optional<Path> globals) {

    static final String KIND_DUMP = "dump";
    static final String KIND_GLOBALS = "globals";

    /** Verifies every artifact of {@code manifest} in {@code workdir}; any problem is exit 4 listing all of them. */
    static DumpArtifacts verify(Path workdir, Manifest manifest) throws IOException {
        List<String> problems = new ArrayList<>();
        Path dumpFile = null;
        Path globalsFile = null;
        for (Artifact artifact : manifest.artifacts()) {
            Path file = resolve(workdir, artifact);
            mismatch(file, artifact).ifPresent(problems::add);
            if (KIND_DUMP.equals(artifact.kind()) && (dumpFile == null || file.endsWith("toc.dat"))) {
                dumpFile = file;
            } else if (KIND_GLOBALS.equals(artifact.kind())) {
                globalsFile = file;
            }
        }
        if (dumpFile == null) {
            problems.add("the manifest lists no artifact of kind \"dump\"");
        }
        if (!problems.isEmpty()) {
            throw StepFailure.verificationFailed("the dump in " + workdir + " does not match its manifest, nothing was restored: "
                    + String.join("; ", problems));
        }
        String format = manifest.dump() == null || manifest.dump().format() == null ? "custom" : manifest.dump().format();
        // A directory-format dump is restored from its folder, the one holding toc.dat.
        Path input = "directory".equals(format) ? dumpFile.getParent() : dumpFile;
        return new DumpArtifacts(input, format, Optional.ofNullable(globalsFile));
    }

    /** The artifact's file inside the workdir; a path that would leave it is refused as a verification failure. */
    static Path resolve(Path workdir, Artifact artifact) {
        Path root = workdir.toAbsolutePath().normalize();
        Path file = artifact.path() == null ? root : root.resolve(artifact.path()).normalize();
        if (artifact.path() == null || Path.of(artifact.path()).isAbsolute() || !file.startsWith(root) || file.equals(root)) {
            throw StepFailure.verificationFailed("the manifest lists artifact path \"" + artifact.path()
                    + "\", which is not a relative path inside FERRY_WORKDIR");
        }
        return file;
    }

    /** Size first (cheap), then SHA-256; empty when the file is exactly what the manifest says. */
    static Optional<String> mismatch(Path file, Artifact expected) throws IOException {
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
