package dev.ferry.core.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import dev.ferry.core.manifest.Inventory;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.manifest.PhaseTiming;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceTest {

    @TempDir
    Path folder;

    static Manifest manifest(int formatVersion) {
        Inventory inventory = new Inventory(
                List.of("public", "tenant_a"),
                List.of(new Inventory.TableRows("public", "user", 3)),
                List.of(new Inventory.SequenceValue("public", "chat_message_id_seq", 42L)),
                2,
                List.of(new Inventory.Extension("pg_trgm", "1.6")),
                List.of("db_readonly_user"),
                Map.of("public", List.of("abc123")),
                8_000_000);
        return new Manifest(
                        formatVersion,
                        "m-1",
                        Instant.parse("2026-11-25T00:00:00Z"),
                        new Manifest.Source("14.22", 14, "postgres", "15.20"),
                        new Manifest.DumpSettings(DumpFormat.DIRECTORY, "6", 2, true),
                        List.of(
                                new Manifest.Artifact("dump.dir/toc.dat", ArtifactKind.DUMP, 10, "ab"),
                                new Manifest.Artifact("globals.sql", ArtifactKind.GLOBALS, 5, "cd")),
                        inventory,
                        null,
                        null)
                .withFreeze(new Manifest.Freeze(
                        "onyx",
                        Instant.EPOCH,
                        List.of(new Manifest.FrozenWorkload("Deployment", "onyx-api-server", 2))));
    }

    static void assertExit(Throwable thrown, ExitCode code) {
        assertThat(thrown)
                .isInstanceOfSatisfying(
                        StepFailure.class, f -> assertThat(f.exitCode()).isEqualTo(code));
    }

    @Test
    void roundTripsEverySectionWithKindsAndFormatsSpelledAsBefore() throws Exception {
        Workspace workspace = Workspace.at(folder);
        workspace.writeManifest(manifest(Manifest.FORMAT_VERSION));

        assertThat(workspace.readManifest()).isEqualTo(manifest(Manifest.FORMAT_VERSION));
        assertThat(Files.readString(workspace.manifestFile()))
                .contains("\"kind\" : \"dump\"", "\"kind\" : \"globals\"", "\"format\" : \"directory\"");
        try (var files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(Workspace.MANIFEST);
        }
    }

    @Test
    void aMissingManifestIsAVerificationFailure() {
        assertThatThrownBy(() -> Workspace.at(folder).readManifest())
                .satisfies(t -> assertExit(t, ExitCode.VERIFICATION_FAILED))
                .hasMessage("no manifest at " + folder.resolve(Workspace.MANIFEST));
    }

    @Test
    void aTruncatedManifestIsNeverTrustedAndSaysSoInOneLine() throws Exception {
        Files.writeString(Workspace.at(folder).manifestFile(), "{\"formatVersion\": 1, \"migrationId\": ");

        assertThatThrownBy(() -> Workspace.at(folder).readManifest())
                .satisfies(t -> assertExit(t, ExitCode.VERIFICATION_FAILED))
                .hasMessageStartingWith(folder.resolve(Workspace.MANIFEST) + " is not a valid Manifest: ")
                .satisfies(t -> assertThat(t.getMessage()).doesNotContain("\n").doesNotContain("Source: "));
    }

    @Test
    void aNewerFormatVersionIsRefusedNamingIt() {
        Workspace workspace = Workspace.at(folder);
        workspace.writeManifest(manifest(99));

        assertThatThrownBy(workspace::readManifest)
                .satisfies(t -> assertExit(t, ExitCode.VERIFICATION_FAILED))
                .hasMessageContaining(
                        "has formatVersion 99; this Ferry reads formatVersion 1 to " + Manifest.FORMAT_VERSION);
    }

    @Test
    void anUnknownArtifactKindIsNotGuessed() throws Exception {
        Workspace workspace = Workspace.at(folder);
        workspace.writeManifest(manifest(1));
        Files.writeString(
                workspace.manifestFile(),
                Files.readString(workspace.manifestFile()).replace("\"globals\"", "\"wal\""));

        assertThatThrownBy(workspace::readManifest)
                .satisfies(t -> assertExit(t, ExitCode.VERIFICATION_FAILED))
                .hasMessageContaining("unknown artifact kind \"wal\"");
    }

    @Test
    void theFreezeRecordHasTheManifestsFreezeShape() {
        Workspace workspace = Workspace.at(folder);
        assertThat(workspace.readFreezeRecord()).isEmpty();

        workspace.writeFreezeRecord(manifest(1).freeze());

        assertThat(workspace.readFreezeRecord()).contains(manifest(1).freeze());
        assertThat(workspace.freezeRecordFile()).hasFileName(Workspace.FREEZE_RECORD);
    }

    @Test
    void artifactPathsStayInsideTheWorkspace() {
        Workspace workspace = Workspace.at(folder);
        assertThat(workspace.artifactFile(new Manifest.Artifact("dump.dir/toc.dat", ArtifactKind.DUMP, 1, "00")))
                .isEqualTo(folder.toAbsolutePath().resolve("dump.dir/toc.dat"));
        for (String bad : new String[] {"../x", "a/../../x", "/etc/passwd", "a//b", "./a", "a\\b", ""}) {
            assertThat(Workspace.isSafeRelativePath(bad)).as(bad).isFalse();
            assertThatThrownBy(() -> workspace.artifactFile(new Manifest.Artifact(bad, ArtifactKind.DUMP, 1, "00")))
                    .satisfies(t -> assertExit(t, ExitCode.VERIFICATION_FAILED))
                    .hasMessageContaining("which is not a relative path inside FERRY_WORKDIR");
        }
        assertThat(workspace.relativePath(folder.resolve("dump.dir").resolve("3301.dat.gz")))
                .isEqualTo("dump.dir/3301.dat.gz");
        assertThat(workspace.dumpOutput(DumpFormat.CUSTOM)).hasFileName("dump.pgdump");
        assertThat(workspace.dumpOutput(DumpFormat.DIRECTORY)).hasFileName("dump.dir");
    }

    @Test
    void aWorkspaceThatCannotBeWrittenIsBadConfigurationNamingTheSetting() throws Exception {
        Path notAFolder = Files.writeString(folder.resolve("file"), "x");

        assertThatThrownBy(() -> Workspace.at(notAFolder.resolve("data")).prepare())
                .satisfies(t -> assertExit(t, ExitCode.BAD_CONFIGURATION))
                .hasMessageStartingWith(
                        "FERRY_WORKDIR " + notAFolder.toAbsolutePath().resolve("data") + " is not writable (");
        assertThat(Workspace.at(folder.resolve("fresh")).prepare().root()).isDirectory();
    }

    @Test
    void aRerunOfAStepReplacesItsTimingAndTheManifestJoinsBothSidesOfTheMigration() {
        Workspace workspace = Workspace.at(folder);
        Instant t0 = Instant.parse("2026-12-01T02:00:00Z");
        workspace.recordPhase(new PhaseTiming("freeze", null, t0, t0.plusSeconds(20), 0));
        workspace.recordPhase(new PhaseTiming("dump", "m-1", t0.plusSeconds(21), t0.plusSeconds(40), 9));
        workspace.recordPhase(new PhaseTiming("dump", "m-1", t0.plusSeconds(50), t0.plusSeconds(60), 10));
        workspace.recordPhase(new PhaseTiming("dump", "m-0", t0.minusSeconds(90), t0.minusSeconds(80), 8));

        assertThat(workspace.readTimeline())
                .extracting(PhaseTiming::step, PhaseTiming::migrationId, PhaseTiming::bytes)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("freeze", null, 0L),
                        org.assertj.core.groups.Tuple.tuple("dump", "m-1", 10L),
                        org.assertj.core.groups.Tuple.tuple("dump", "m-0", 8L));

        // the export side's record travels in the manifest; the import side adds its own
        Manifest travelled = manifest(Manifest.FORMAT_VERSION)
                .withTimeline(List.of(new PhaseTiming("upload", "m-1", t0.plusSeconds(61), t0.plusSeconds(70), 10)));
        List<PhaseTiming> timeline = travelled.timelineWith(workspace.readTimeline());
        assertThat(timeline).extracting(PhaseTiming::step).containsExactly("freeze", "dump", "upload");
        assertThat(timeline.get(1).seconds()).isEqualTo(10.0);

        // a migration without a freeze does not take a freeze record some earlier run left
        Manifest unfrozen = travelled.withFreeze(null);
        assertThat(unfrozen.timelineWith(workspace.readTimeline()))
                .extracting(PhaseTiming::step)
                .containsExactly("dump", "upload");
    }
}
