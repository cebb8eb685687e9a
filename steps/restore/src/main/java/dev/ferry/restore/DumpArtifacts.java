package dev.ferry.restore;

import dev.ferry.core.StepFailure;
import dev.ferry.core.manifest.ArtifactCheck;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.manifest.Manifest.Artifact;
import dev.ferry.core.workspace.ArtifactKind;
import dev.ferry.core.workspace.DumpFormat;
import dev.ferry.core.workspace.Workspace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The dump as the manifest describes it, checked on the workspace before anything touches the
 * target: every artifact must exist with its exact size and SHA-256, or nothing is restored.
 *
 * <p>A directory-format dump lists every file of its folder as a {@link ArtifactKind#DUMP} artifact;
 * pg_restore reads the folder, the one holding {@code toc.dat}.
 */
record DumpArtifacts(Path dumpInput, DumpFormat format, Optional<Path> globals) {

    /** Verifies every artifact of {@code manifest} in the workspace; any problem is exit 4 listing all of them. */
    static DumpArtifacts verify(Workspace workspace, Manifest manifest) throws IOException {
        List<String> problems = new ArrayList<>();
        Path dumpFile = null;
        Path globalsFile = null;
        for (Artifact artifact : manifest.artifacts()) {
            Path file = workspace.artifactFile(artifact);
            ArtifactCheck.mismatch(file, artifact).ifPresent(problems::add);
            if (artifact.kind() == ArtifactKind.DUMP && (dumpFile == null || file.endsWith("toc.dat"))) {
                dumpFile = file;
            } else if (artifact.kind() == ArtifactKind.GLOBALS) {
                globalsFile = file;
            }
        }
        if (dumpFile == null) {
            problems.add("the manifest lists no artifact of kind \"dump\"");
        }
        if (!problems.isEmpty()) {
            throw StepFailure.verificationFailed("the dump in " + workspace.root()
                    + " does not match its manifest, nothing was restored: " + String.join("; ", problems));
        }
        DumpFormat format = manifest.dump() == null || manifest.dump().format() == null
                ? DumpFormat.CUSTOM
                : manifest.dump().format();
        Path input = format == DumpFormat.DIRECTORY ? dumpFile.getParent() : dumpFile;
        return new DumpArtifacts(input, format, Optional.ofNullable(globalsFile));
    }
}
