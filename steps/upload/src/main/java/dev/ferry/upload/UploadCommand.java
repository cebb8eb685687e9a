package dev.ferry.upload;

import dev.ferry.core.ByteSizes;
import dev.ferry.core.StepCommand;
import dev.ferry.core.StepFailure;
import dev.ferry.core.StepResults;
import dev.ferry.core.StepSummary;
import dev.ferry.core.config.FerryConfig;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.MigrationId;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.crypto.Keyset;
import dev.ferry.crypto.ObjectEncryption;
import dev.ferry.s3.ObjectStore;
import dev.ferry.s3.S3Transfer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The upload step: sends every artifact of the dump to object storage, then the manifest last, so a
 * migration folder without {@code manifest.json} always means "incomplete, never restore".
 */
public class UploadCommand extends StepCommand {

    private static final Logger LOG = Logger.getLogger(UploadCommand.class);

    @Inject
    FerryConfig ferry;

    @Inject
    ObjectStore objectStore;

    @Inject
    UploadConfig config;

    @Inject
    ObjectEncryption encryption;

    @Override
    protected StepSummary execute(String... args) throws Exception {
        // Settings first: a keyset that does not parse, or none where one is required, is exit 2 before any transfer.
        Optional<Keyset> keyset = encryption.forWriting();
        if (config.content() == UploadConfig.Content.REPORT) {
            return uploadReport(keyset);
        }
        // The manifest is upload's input: it names the migration, FERRY_MIGRATION_ID may only confirm it.
        Workspace workspace = Workspace.at(ferry.workdir());
        Manifest manifest = workspace.readManifest();
        String migrationId = MigrationId.fromManifest(
                manifest.migrationId(), workspace.manifestFile().toString());
        Optional<String> givenId = ferry.givenMigrationId();
        Duration progressInterval = ferry.checkedProgressInterval();
        if (givenId.isPresent() && !givenId.get().equals(migrationId)) {
            throw StepFailure.badConfiguration("FERRY_MIGRATION_ID is \"" + givenId.get()
                    + "\" but manifest.json in FERRY_WORKDIR belongs to migration \"" + migrationId + "\"");
        }
        if (manifest.artifacts().isEmpty()) {
            throw StepFailure.verificationFailed("manifest.json lists no artifacts: nothing to upload");
        }
        LocalArtifacts.verify(workspace, manifest);

        try (S3Transfer store = objectStore.open()) {
            LOG.infof(
                    "phase=prepare encryption=%s server_side_encryption=%s",
                    describe(keyset), store.serverSideEncryption().describe());
            MigrationUpload.Outcome outcome = new MigrationUpload(
                            store,
                            workspace,
                            progressInterval,
                            startedAt(),
                            keyset.map(k -> new EncryptedArtifacts(store, workspace, k)))
                    .upload(manifest);
            StepResults results = new StepResults(ferry.effectiveResultsDir());
            results.write("migration-id", migrationId);
            results.write("uploaded-bytes", outcome.uploadedBytes());
            results.write("manifest-uri", outcome.manifestUri());
            results.write("resumed-bytes", outcome.resumedBytes());
            results.write("encryption", describe(keyset));
            return StepSummary.of()
                    .with("migration", migrationId)
                    .with("artifacts", manifest.artifacts().size())
                    .with("uploaded", ByteSizes.human(outcome.uploadedBytes()))
                    .with("resumed", ByteSizes.human(outcome.resumedBytes()))
                    .with("skipped", outcome.skipped())
                    .with("encryption", describe(keyset))
                    .with("total", ByteSizes.human(manifest.totalBytes()))
                    .with("manifest", outcome.manifestUri())
                    .timedIn(workspace, migrationId, outcome.uploadedBytes());
        }
    }

    /** FERRY_UPLOAD_CONTENT=report: validate's report beside the migration the workspace's manifest names. */
    /** How the objects are encrypted, for the log and the result: the scheme and key id, or none. */
    static String describe(Optional<Keyset> keyset) {
        return keyset.map(k -> Keyset.SCHEME + "/key-id=" + k.primaryKeyId()).orElse("none");
    }

    private StepSummary uploadReport(Optional<Keyset> keyset) {
        Workspace workspace = Workspace.at(ferry.workdir());
        Manifest manifest = workspace.readManifest();
        String migrationId = MigrationId.fromManifest(
                manifest.migrationId(), workspace.manifestFile().toString());
        try (S3Transfer store = objectStore.open()) {
            ReportUpload.Outcome outcome = new ReportUpload(store, workspace, keyset).upload(migrationId);
            StepResults results = new StepResults(ferry.effectiveResultsDir());
            results.write("migration-id", migrationId);
            results.write("report-uri", outcome.folderUri());
            return StepSummary.of()
                    .with("migration", migrationId)
                    .with("report_files", String.join(",", outcome.files()))
                    .with("report_bytes", outcome.bytes())
                    .with("encryption", describe(keyset))
                    .with("report", outcome.folderUri());
        }
    }
}
