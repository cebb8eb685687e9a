package dev.ferry.download;

import dev.ferry.core.ByteSizes;
import dev.ferry.core.StepCommand;
import dev.ferry.core.StepResults;
import dev.ferry.core.StepSummary;
import dev.ferry.core.config.FerryConfig;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.crypto.Keyset;
import dev.ferry.crypto.ObjectEncryption;
import dev.ferry.crypto.SealedInventory;
import dev.ferry.s3.ObjectStore;
import dev.ferry.s3.S3Transfer;
import dev.ferry.s3.StoredManifest;
import jakarta.inject.Inject;
import java.time.Duration;
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

    @Inject
    FerryConfig ferry;

    @Inject
    ObjectStore objectStore;

    @Inject
    ObjectEncryption encryption;

    @Override
    protected StepSummary execute(String... args) throws Exception {
        ferry.refuseEphemeralWorkspace();
        Optional<String> givenId = ferry.givenMigrationId();
        Duration progressInterval = ferry.checkedProgressInterval();
        Workspace workspace = Workspace.at(ferry.workdir()).prepare();
        // A manifest left by an earlier run would make this workspace look complete while it is being replaced.
        if (workspace.removeManifest()) {
            LOG.infof("phase=prepare removed=%s reason=replaced_by_this_download", workspace.manifestFile());
        }

        try (S3Transfer store = objectStore.open()) {
            store.checkBucket();
            LOG.infof(
                    "phase=connect endpoint=%s bucket=%s prefix=%s",
                    store.endpoint(),
                    store.layout().bucket(),
                    store.layout().uri(store.layout().migrationsPrefix()));
            String migrationId = givenId.isPresent() ? given(givenId.get()) : CompleteMigrations.newestIn(store);
            StoredManifest stored = StoredManifest.fetch(store, migrationId);
            Optional<Keyset> keyset = keysetFor(stored.manifest());
            StoredManifest manifest = keyset.map(k -> openedWith(
                            stored, k, store.layout().uri(store.layout().manifestKey(migrationId))))
                    .orElse(stored);
            VerifiedDownload.Outcome downloaded =
                    new VerifiedDownload(store, workspace, progressInterval, keyset).download(manifest.manifest());
            manifest.placeIn(workspace);

            StepResults results = new StepResults(ferry.effectiveResultsDir());
            results.write("migration-id", migrationId);
            results.write("downloaded-bytes", downloaded.verifiedBytes());
            results.write("resumed-bytes", downloaded.resumedBytes());
            return StepSummary.of()
                    .with("migration", migrationId)
                    .with("artifacts", manifest.manifest().artifacts().size())
                    .with("downloaded", ByteSizes.human(downloaded.verifiedBytes()))
                    .with("resumed", ByteSizes.human(downloaded.resumedBytes()))
                    .with("verified", keyset.isPresent() ? "sha256 of stored and decrypted" : "sha256")
                    .with("workdir", workspace.root())
                    .timedIn(workspace, migrationId, downloaded.verifiedBytes());
        }
    }

    /**
     * The keyset every encrypted artifact of the migration needs, checked before a byte moves: none given is exit 2,
     * one without the key id is exit 4; an unencrypted migration is refused where encryption is required (exit 3).
     */
    private Optional<Keyset> keysetFor(Manifest manifest) {
        String subject = "migration \"" + manifest.migrationId() + "\"";
        List<Long> keyIds = manifest.artifacts().stream()
                .filter(Manifest.Artifact::encrypted)
                .map(a -> a.stored().keyId())
                .distinct()
                .toList();
        if (keyIds.isEmpty()) {
            encryption.allowUnencrypted(subject);
            LOG.infof("phase=prepare migration=%s encryption=none", manifest.migrationId());
            return Optional.empty();
        }
        Keyset keyset = encryption.forReading(subject, keyIds);
        LOG.infof("phase=prepare migration=%s encryption=%s key_ids=%s", manifest.migrationId(), Keyset.SCHEME, keyIds);
        return Optional.of(keyset);
    }

    /**
     * {@code stored} made whole with {@code keyset}: an encrypted migration's stored manifest keeps what is computed
     * from the data's values in its sealed inventory, which validate needs in the workspace.
     */
    private static StoredManifest openedWith(StoredManifest stored, Keyset keyset, String uri) {
        byte[] whole = SealedInventory.open(stored.json(), stored.manifest().migrationId(), keyset);
        return whole == stored.json()
                ? stored
                : StoredManifest.checked(whole, stored.manifest().migrationId(), uri);
    }

    private static String given(String migrationId) {
        LOG.infof("phase=resolve migration=%s source=FERRY_MIGRATION_ID", migrationId);
        return migrationId;
    }
}
