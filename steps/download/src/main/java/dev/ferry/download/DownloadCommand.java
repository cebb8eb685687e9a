package dev.ferry.download;

import dev.ferry.core.ByteSizes;
import dev.ferry.core.StepCommand;
import dev.ferry.core.StepFailure;
import dev.ferry.core.StepResults;
import dev.ferry.core.TransferProgress;
import dev.ferry.core.config.FerryConfig;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.manifest.ManifestStore;
import dev.ferry.core.manifest.ArtifactFiles;
import dev.ferry.core.s3.AwsConfig;
import dev.ferry.core.s3.ObjectLayout;
import dev.ferry.core.s3.S3Settings;
import dev.ferry.core.s3.S3Transfer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The download step: fetches a complete migration (given, or the newest) into the workspace and
 * proves every artifact against the manifest. The manifest is written locally only after every
 * artifact verified, so a failed download never leaves a workspace that restore would trust.
 */
public class DownloadCommand extends StepCommand {

    private static final Logger LOG = Logger.getLogger(DownloadCommand.class);
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);
    private static final String PARTIAL_SUFFIX = ".ferry-partial";

    @Inject
    FerryConfig ferry;

    @Inject
    AwsConfig aws;

    @Inject
    S3Settings s3;

    @Override
    protected String stepName() {
        return "download";
    }

    @Override
    protected void execute(String... args) throws IOException {
        Path workdir = ferry.workdir();
        Optional<String> givenId = ferry.migrationId().map(String::strip).filter(s -> !s.isEmpty());
        if (givenId.isPresent() && !ObjectLayout.isValidMigrationId(givenId.get())) {
            throw StepFailure.badConfiguration("FERRY_MIGRATION_ID '" + givenId.get()
                    + "' is not a valid migration id (letters, digits, '.', '_', '-')");
        }
        Files.createDirectories(workdir);
        removeStaleManifest(workdir);

        try (S3Transfer store = S3Transfer.open(aws, s3)) {
            ObjectLayout layout = store.layout();
            store.checkBucket();
            LOG.infof("phase=connect endpoint=%s bucket=%s prefix=%s", store.endpoint(), layout.bucket(),
                    layout.uri(layout.migrationsPrefix()));
            String migrationId = givenId.isPresent() ? given(givenId.get()) : newestComplete(store);

            String manifestKey = layout.manifestKey(migrationId);
            byte[] manifestJson = store.getBytes(manifestKey).orElseThrow(() -> StepFailure.verificationFailed(
                    "no manifest at " + layout.uri(manifestKey) + ": migration '" + migrationId
                            + "' does not exist or its upload never completed"));
            Manifest manifest = parse(manifestJson, layout.uri(manifestKey));
            if (!migrationId.equals(manifest.migrationId())) {
                throw StepFailure.verificationFailed("manifest at " + layout.uri(manifestKey) + " belongs to migration '"
                        + manifest.migrationId() + "', not '" + migrationId + "'");
            }
            if (manifest.artifacts().isEmpty()) {
                throw StepFailure.verificationFailed("manifest at " + layout.uri(manifestKey) + " lists no artifacts");
            }
            LOG.infof("phase=manifest migration=%s artifacts=%d bytes=%d", migrationId, manifest.artifacts().size(),
                    manifest.artifacts().stream().mapToLong(Manifest.Artifact::size).sum());

            long downloaded = downloadVerified(store, workdir, manifest);
            writeAtomically(ManifestStore.pathIn(workdir), manifestJson);

            StepResults results = new StepResults(ferry.effectiveResultsDir());
            results.write("migration-id", migrationId);
            results.write("downloaded-bytes", downloaded);
            LOG.infof("summary migration=%s artifacts=%d downloaded=%s verified=sha256 workdir=%s", migrationId,
                    manifest.artifacts().size(), ByteSizes.human(downloaded), workdir);
        }
    }

    private static String given(String migrationId) {
        LOG.infof("phase=resolve migration=%s source=FERRY_MIGRATION_ID", migrationId);
        return migrationId;
    }

    private static String newestComplete(S3Transfer store) {
        ObjectLayout layout = store.layout();
        CompleteMigrations migrations = CompleteMigrations.of(store.list(layout.migrationsPrefix()), layout);
        CompleteMigrations.Candidate newest = migrations.newest().orElseThrow(() -> StepFailure.verificationFailed(
                "no complete migration under " + layout.uri(layout.migrationsPrefix()) + " (none has a manifest.json"
                        + (migrations.incomplete().isEmpty() ? "" : "; incomplete: " + migrations.incomplete())
                        + "): run upload, or set FERRY_MIGRATION_ID"));
        LOG.infof("phase=resolve migration=%s source=newest-complete manifestWritten=%s complete=%d ignoredIncomplete=%s",
                newest.migrationId(), newest.manifestWritten(), migrations.complete().size(), migrations.incomplete());
        return newest.migrationId();
    }

    /**
     * Each artifact goes to a temporary name, is checked (size, SHA-256) and only then renamed into
     * place. On any failure every file this run placed or started is removed again.
     */
    private static long downloadVerified(S3Transfer store, Path workdir, Manifest manifest) throws IOException {
        ObjectLayout layout = store.layout();
        List<Path> placed = new ArrayList<>();
        Path partial = null;
        try {
            long downloaded = 0;
            for (Manifest.Artifact artifact : manifest.artifacts()) {
                Path target = ArtifactFiles.resolve(workdir, artifact);
                Files.createDirectories(target.getParent());
                partial = target.resolveSibling("." + target.getFileName() + PARTIAL_SUFFIX);
                String key = layout.artifactKey(manifest.migrationId(), artifact.path());
                TransferProgress progress = new TransferProgress("download", artifact.path(), artifact.size(),
                        PROGRESS_INTERVAL);
                if (!store.downloadFile(key, partial, progress)) {
                    throw StepFailure.verificationFailed("artifact " + artifact.path() + " is listed in the manifest but "
                            + layout.uri(key) + " does not exist");
                }
                progress.finish();
                Optional<String> problem = ArtifactFiles.mismatch(partial, artifact);
                if (problem.isPresent()) {
                    throw StepFailure.verificationFailed("downloaded artifact " + problem.get() + " (" + layout.uri(key)
                            + " is corrupted or was replaced)");
                }
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                placed.add(target);
                partial = null;
                LOG.infof("phase=verify artifact=%s bytes=%d sha256=%s verdict=match", artifact.path(), artifact.size(),
                        artifact.sha256());
                downloaded += artifact.size();
            }
            return downloaded;
        } catch (RuntimeException | IOException failure) {
            int removed = 0;
            if (partial != null && Files.deleteIfExists(partial)) {
                removed++;
            }
            for (Path file : placed) {
                if (Files.deleteIfExists(file)) {
                    removed++;
                }
            }
            LOG.infof("phase=cleanup removedFiles=%d reason=download-failed", removed);
            throw failure;
        }
    }

    /** A manifest left by an earlier run would make this workspace look complete while it is being replaced. */
    private static void removeStaleManifest(Path workdir) throws IOException {
        Path stale = ManifestStore.pathIn(workdir);
        if (Files.deleteIfExists(stale)) {
            LOG.infof("phase=prepare removed=%s reason=replaced-by-this-download", stale);
        }
    }

    private static Manifest parse(byte[] json, String uri) {
        try {
            return ManifestStore.json().readValue(json, Manifest.class);
        } catch (IOException e) {
            throw StepFailure.verificationFailed("manifest at " + uri + " is not valid JSON: " + e.getMessage());
        }
    }

    /** Writes the manifest exactly as stored (fields this version does not know survive) via temp file + rename. */
    private static void writeAtomically(Path file, byte[] content) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + PARTIAL_SUFFIX);
        Files.write(temp, content);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
