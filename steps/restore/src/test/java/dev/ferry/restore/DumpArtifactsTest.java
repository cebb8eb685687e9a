package dev.ferry.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.ExitCode;
import dev.ferry.core.Sha256;
import dev.ferry.core.StepFailure;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.manifest.Manifest.Artifact;
import dev.ferry.core.workspace.ArtifactKind;
import dev.ferry.core.workspace.DumpFormat;
import dev.ferry.core.workspace.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpArtifactsTest {

    @TempDir
    Path workdir;

    Artifact file(String path, ArtifactKind kind, String content) throws Exception {
        Path file = workdir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return new Artifact(path, kind, Files.size(file), Sha256.of(file));
    }

    static Manifest manifest(DumpFormat format, List<Artifact> artifacts) {
        return new Manifest(
                Manifest.FORMAT_VERSION,
                "m",
                Instant.EPOCH,
                null,
                new Manifest.DumpSettings(format, "default", 2, false),
                artifacts,
                null,
                null,
                null);
    }

    @Test
    void a_directory_format_dump_is_restored_from_the_folder_holding_toc_dat() throws Exception {
        List<Artifact> artifacts = List.of(
                file("onyx.dir/3301.dat.gz", ArtifactKind.DUMP, "rows"),
                file("onyx.dir/toc.dat", ArtifactKind.DUMP, "toc"),
                file("globals.sql", ArtifactKind.GLOBALS, "CREATE ROLE x;"));

        DumpArtifacts dump = DumpArtifacts.verify(Workspace.at(workdir), manifest(DumpFormat.DIRECTORY, artifacts));

        assertThat(dump.dumpInput()).isEqualTo(workdir.toAbsolutePath().resolve("onyx.dir"));
        assertThat(dump.globals()).contains(workdir.toAbsolutePath().resolve("globals.sql"));
    }

    @Test
    void every_problem_is_listed_before_anything_is_restored() throws Exception {
        Artifact truncated = file("onyx.dump", ArtifactKind.DUMP, "full content");
        Files.writeString(workdir.resolve("onyx.dump"), "full");
        Artifact altered = file("globals.sql", ArtifactKind.GLOBALS, "CREATE ROLE a;");
        Files.writeString(workdir.resolve("globals.sql"), "CREATE ROLE b;");
        Artifact missing = new Artifact("extra.bin", ArtifactKind.DUMP, 3, "00");

        assertThatThrownBy(() -> DumpArtifacts.verify(
                        Workspace.at(workdir), manifest(DumpFormat.CUSTOM, List.of(truncated, altered, missing))))
                .isInstanceOfSatisfying(StepFailure.class, f -> {
                    assertThat(f.exitCode()).isEqualTo(ExitCode.VERIFICATION_FAILED);
                    assertThat(f.getMessage())
                            .contains("nothing was restored")
                            .contains("onyx.dump has 4 bytes, the manifest says 12")
                            .contains("globals.sql has SHA-256 ")
                            .contains("extra.bin is missing");
                });
    }

    @Test
    void a_path_leaving_the_workdir_is_refused() {
        Artifact escaping = new Artifact("../etc/passwd", ArtifactKind.DUMP, 1, "00");

        assertThatThrownBy(() ->
                        DumpArtifacts.verify(Workspace.at(workdir), manifest(DumpFormat.CUSTOM, List.of(escaping))))
                .isInstanceOfSatisfying(StepFailure.class, f -> {
                    assertThat(f.exitCode()).isEqualTo(ExitCode.VERIFICATION_FAILED);
                    assertThat(f.getMessage())
                            .contains("\"../etc/passwd\", which is not a relative path inside FERRY_WORKDIR");
                });
    }

    @Test
    void a_manifest_without_a_dump_artifact_is_refused() throws Exception {
        Artifact globals = file("globals.sql", ArtifactKind.GLOBALS, "CREATE ROLE x;");

        assertThatThrownBy(() ->
                        DumpArtifacts.verify(Workspace.at(workdir), manifest(DumpFormat.CUSTOM, List.of(globals))))
                .hasMessageContaining("the manifest lists no artifact of kind \"dump\"");
    }
}
