package dev.ferry.core.workspace;

import dev.ferry.core.Sha256;
import dev.ferry.core.StepFailure;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.manifest.PhaseTiming;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The workspace folder (FERRY_WORKDIR) and the contract of what lives in it: the manifest, the freeze
 * record, the dump in either format, globals.sql, the report folder, and every artifact the manifest
 * lists. Steps name no file of the workspace themselves; every write goes through {@link AtomicFiles}.
 */
public final class Workspace {

    public static final String MANIFEST = "manifest.json";
    public static final String FREEZE_RECORD = "freeze.json";
    public static final String GLOBALS = "globals.sql";
    public static final String REPORT = "report";
    public static final String ALEMBIC_RECORD = "alembic.json";
    public static final String RESTORE_RECORD = "restore.json";
    /** When each step that worked on this workspace ran ({@link PhaseTiming}), for the report's timeline. */
    public static final String TIMELINE = "timeline.json";
    /** Hidden folder of the journals that let a rerun resume a transfer a killed run left unfinished. */
    public static final String TRANSFER_JOURNALS = ".transfers";

    private final Path root;

    private Workspace(Path root) {
        this.root = root;
    }

    public static Workspace at(Path folder) {
        return new Workspace(folder.toAbsolutePath().normalize());
    }

    public Path root() {
        return root;
    }

    /**
     * Creates the folder if needed and proves it writable before a step changes anything, so a
     * read-only or foreign-owned volume is a one-line exit 2 rather than a stack trace halfway through.
     */
    public Workspace prepare() {
        try {
            Files.createDirectories(root);
            Path probe = Files.createTempFile(root, ".ferry-write-check", AtomicFiles.PARTIAL_SUFFIX);
            Files.delete(probe);
            return this;
        } catch (IOException | UnsupportedOperationException e) {
            throw StepFailure.badConfiguration("FERRY_WORKDIR " + root + " is not writable ("
                    + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "): mount a writable volume there or point "
                    + "FERRY_WORKDIR elsewhere");
        }
    }

    public Path manifestFile() {
        return root.resolve(MANIFEST);
    }

    public Path freezeRecordFile() {
        return root.resolve(FREEZE_RECORD);
    }

    public Path globalsFile() {
        return root.resolve(GLOBALS);
    }

    public Path reportFolder() {
        return root.resolve(REPORT);
    }

    /** {@code alembic.json}: the revisions of every schema before and after alembic-run. */
    public Path alembicRecordFile() {
        return root.resolve(ALEMBIC_RECORD);
    }

    /** Where pg_dump's output in {@code format} lives: {@code dump.pgdump} or {@code dump.dir/}. */
    public Path dumpOutput(DumpFormat format) {
        return root.resolve(format.workspaceName());
    }

    /**
     * The journal of one artifact's {@code direction} ("upload" or "download") transfer: what a killed run had
     * sent or fetched, so that a rerun goes on from there. One per artifact, named by its path's digest, so
     * nested artifact paths need no folders.
     */
    public Path transferJournal(String direction, Manifest.Artifact artifact) {
        String name = direction + "-"
                + Sha256.of(artifact.path().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        return root.resolve(TRANSFER_JOURNALS).resolve(name + ".json");
    }

    /** The artifact's file; a manifest path that would leave the workspace fails verification. */
    public Path artifactFile(Manifest.Artifact artifact) {
        if (!isSafeRelativePath(artifact.path())) {
            throw StepFailure.verificationFailed("the manifest lists artifact path \"" + artifact.path()
                    + "\", which is not a relative path inside FERRY_WORKDIR");
        }
        return root.resolve(artifact.path());
    }

    /** {@code file}'s path relative to the workspace, with forward slashes: it doubles as an S3 key suffix. */
    public String relativePath(Path file) {
        return root.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    public boolean hasManifest() {
        return Files.exists(manifestFile());
    }

    /** The manifest; a missing or unreadable one is a verification failure (nothing is trusted without it). */
    public Manifest readManifest() {
        return Manifest.checked(
                read(manifestFile(), Manifest.class)
                        .orElseThrow(() -> StepFailure.verificationFailed("no manifest at " + manifestFile())),
                manifestFile().toString());
    }

    public void writeManifest(Manifest manifest) {
        AtomicFiles.writeJson(manifestFile(), manifest);
    }

    /**
     * Removes the manifest before the workspace's artifacts change: until a step writes the new one,
     * nothing here looks complete.
     */
    public boolean removeManifest() {
        try {
            return Files.deleteIfExists(manifestFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + manifestFile(), e);
        }
    }

    /** {@code freeze.json}: the writers freeze stopped, with the replica counts to bring back. */
    public Optional<Manifest.Freeze> readFreezeRecord() {
        return read(freezeRecordFile(), Manifest.Freeze.class);
    }

    /** Same shape as the manifest's {@code freeze} section, so either can feed scale-up. */
    public void writeFreezeRecord(Manifest.Freeze freeze) {
        AtomicFiles.writeJson(freezeRecordFile(), freeze);
    }

    /** {@code restore.json}: how the last successful restore into this workspace's target ran. */
    public Optional<RestoreRecord> readRestoreRecord() {
        return read(root.resolve(RESTORE_RECORD), RestoreRecord.class);
    }

    public void writeRestoreRecord(RestoreRecord record) {
        AtomicFiles.writeJson(root.resolve(RESTORE_RECORD), record);
    }

    /** Removes restore.json, so that a restore that fails leaves none behind from an earlier one. */
    public void removeRestoreRecord() {
        try {
            Files.deleteIfExists(root.resolve(RESTORE_RECORD));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root.resolve(RESTORE_RECORD), e);
        }
    }

    /** The steps recorded in {@code timeline.json}, in the order they were recorded; none without the file. */
    public List<PhaseTiming> readTimeline() {
        return read(root.resolve(TIMELINE), PhaseTiming[].class)
                .map(Arrays::asList)
                .orElse(List.of());
    }

    /**
     * Adds {@code timing} to {@code timeline.json}, replacing the record of an earlier run of the same step for
     * the same migration: a rerun after a failure is the run that counts.
     */
    public void recordPhase(PhaseTiming timing) {
        List<PhaseTiming> timeline = new ArrayList<>(readTimeline());
        timeline.removeIf(earlier ->
                earlier.step().equals(timing.step()) && Objects.equals(earlier.migrationId(), timing.migrationId()));
        timeline.add(timing);
        AtomicFiles.writeJson(root.resolve(TIMELINE), timeline);
    }

    private static <T> Optional<T> read(Path file, Class<T> type) {
        byte[] json;
        try {
            json = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw StepFailure.verificationFailed("cannot read " + file + ": " + e.getMessage());
        }
        return Optional.of(JsonCodec.fromBytes(json, type, file.toString()));
    }

    /** Relative, forward slashes, no empty, "." or ".." segment: cannot leave the workspace or a migration's folder. */
    public static boolean isSafeRelativePath(String path) {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.contains("\\")) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
