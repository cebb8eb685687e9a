package dev.ferry.restore;

import dev.ferry.core.StepFailure;
import dev.ferry.core.manifest.ArtifactFiles;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.manifest.Manifest.Artifact;
import java.io.IOException;
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
            Path file = ArtifactFiles.resolve(workdir, artifact);
            ArtifactFiles.mismatch(file, artifact).ifPresent(problems::add);
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
}
