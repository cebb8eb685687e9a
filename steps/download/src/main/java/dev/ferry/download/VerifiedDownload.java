package dev.ferry.download;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import dev.ferry.core.TransferProgress;
import dev.ferry.core.manifest.ArtifactCheck;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.AtomicFiles;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.crypto.Keyset;
import dev.ferry.s3.DownloadOutcome;
import dev.ferry.s3.ObjectLayout;
import dev.ferry.s3.S3Transfer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Fetches every artifact of a manifest into the workspace: each goes to its partial name, is checked
 * (size, SHA-256) and only then published under its real name. A rerun is cheap: an artifact already in
 * place with the manifest's size and SHA-256 is kept, and a large one a killed or failed run left half
 * fetched goes on from the ranges its journal records. What a failed run leaves stays unusable on its
 * own, because the manifest is placed only after every artifact verified; when the failure is that the
 * store's content does not verify, every file this run placed or started is removed, as a rerun would
 * fetch the same wrong bytes.
 */
record VerifiedDownload(S3Transfer store, Workspace workspace, Duration progressInterval, Optional<Keyset> keyset) {

    private static final Logger LOG = Logger.getLogger(VerifiedDownload.class);
    private static final String DOWNLOAD = "download";

    /** Bytes of the verified artifacts, and how many of them were already in the workspace. */
    record Outcome(long verifiedBytes, long resumedBytes) {}

    Outcome download(Manifest manifest) throws IOException {
        List<Path> placed = new ArrayList<>();
        List<Path> started = new ArrayList<>();
        try {
            long verified = 0;
            long resumed = 0;
            for (Manifest.Artifact artifact : manifest.artifacts()) {
                Path target = workspace.artifactFile(artifact);
                Files.createDirectories(target.getParent());
                if (ArtifactCheck.mismatch(target, artifact).isEmpty()) {
                    LOG.infof(
                            "phase=download artifact=%s skipped=true reason=already_in_workspace_with_same_size_and_sha256",
                            artifact.path());
                    resumed += artifact.size();
                } else {
                    Path partial = AtomicFiles.partial(target);
                    Path journal = workspace.transferJournal(DOWNLOAD, artifact);
                    started.add(partial);
                    started.add(journal);
                    String hashed = "as_written";
                    if (artifact.encrypted()) {
                        fetchDecrypted(manifest.migrationId(), artifact, partial);
                    } else {
                        DownloadOutcome fetched = fetchVerified(manifest.migrationId(), artifact, partial, journal);
                        resumed += fetched.reusedBytes();
                        hashed = fetched.sha256().isPresent() ? "as_written" : "read_back";
                    }
                    AtomicFiles.publish(partial, target);
                    LOG.infof(
                            "phase=verify artifact=%s bytes=%d sha256=%s hashed=%s verdict=match",
                            artifact.path(), artifact.size(), artifact.sha256(), hashed);
                }
                placed.add(target);
                verified += artifact.size();
            }
            return new Outcome(verified, resumed);
        } catch (RuntimeException | IOException failure) {
            if (failure instanceof StepFailure known && known.exitCode() == ExitCode.VERIFICATION_FAILED) {
                int removed = 0;
                for (Path file : concat(started, placed)) {
                    if (Files.deleteIfExists(file)) {
                        removed++;
                    }
                }
                LOG.infof("phase=cleanup removed_files=%d reason=download_failed_verification", removed);
            } else {
                LOG.infof(
                        "phase=cleanup kept_files=%d reason=a_rerun_goes_on_from_them",
                        placed.size()
                                + (int) started.stream().filter(Files::exists).count());
            }
            throw failure;
        }
    }

    /**
     * Fetches one artifact into {@code partial} and proves it; says what an earlier run had left there and whether
     * the file was hashed as it was written ({@code hashed=as_written} in the log) or had to be read back
     * ({@code read_back}: a resumed file). A resumed file that does not verify (its earlier run's writes were lost
     * with a node, say) is fetched once more from the start before the object is called corrupted.
     */
    private DownloadOutcome fetchVerified(String migrationId, Manifest.Artifact artifact, Path partial, Path journal)
            throws IOException {
        ObjectLayout layout = store.layout();
        String key = layout.artifactKey(migrationId, artifact.path());
        DownloadOutcome fetched = fetch(key, artifact, partial, journal);
        Optional<String> problem = mismatch(fetched, partial, artifact);
        if (problem.isPresent() && fetched.reusedBytes() > 0) {
            LOG.infof(
                    "phase=download artifact=%s resumed_file_mismatch=\"%s\" action=fetch_whole_object",
                    artifact.path(), problem.get());
            AtomicFiles.deleteQuietly(journal);
            Files.deleteIfExists(partial);
            fetched = fetch(key, artifact, partial, journal);
            problem = mismatch(fetched, partial, artifact);
        }
        if (problem.isPresent()) {
            throw StepFailure.verificationFailed(
                    "downloaded artifact " + problem.get() + " (" + layout.uri(key) + " is corrupted or was replaced)");
        }
        return fetched;
    }

    /**
     * What is wrong with the fetched file: from the SHA-256 computed as it was written, or, when part of it came
     * from an earlier run, from reading the file.
     */
    private static Optional<String> mismatch(DownloadOutcome fetched, Path file, Manifest.Artifact artifact)
            throws IOException {
        if (fetched.sha256().isPresent()) {
            return ArtifactCheck.mismatch(
                    artifact, Files.size(file), fetched.sha256().get());
        }
        return ArtifactCheck.mismatch(file, artifact);
    }

    private void fetchDecrypted(String migrationId, Manifest.Artifact artifact, Path partial) throws IOException {
        String key = store.layout().artifactKey(migrationId, artifact.path());
        Keyset decrypting = keyset.orElseThrow(() -> new IllegalStateException(
                "an encrypted artifact reached download without a keyset: DownloadCommand checks first"));
        LOG.infof(
                "phase=download artifact=%s stored_bytes=%d encrypted=%s key_id=%d",
                artifact.path(),
                artifact.stored().size(),
                artifact.stored().encryption(),
                artifact.stored().keyId());
        new DecryptedDownload(store, decrypting, progressInterval).fetch(migrationId, artifact, key, partial);
    }

    private DownloadOutcome fetch(String key, Manifest.Artifact artifact, Path partial, Path journal) {
        LOG.infof(
                "phase=download artifact=%s bytes=%d ranges=%d",
                artifact.path(), artifact.size(), store.rangesFor(artifact.size()));
        TransferProgress progress = new TransferProgress(DOWNLOAD, artifact.path(), artifact.size(), progressInterval);
        DownloadOutcome fetched = store.downloadFile(key, partial, artifact.size(), journal, progress)
                .orElseThrow(() -> StepFailure.verificationFailed("artifact " + artifact.path()
                        + " is listed in the manifest but " + store.layout().uri(key) + " does not exist"));
        progress.finish();
        if (fetched.reusedBytes() > 0) {
            LOG.infof(
                    "phase=download artifact=%s resumed=true reused_bytes=%d fetched_bytes=%d",
                    artifact.path(), fetched.reusedBytes(), fetched.fetchedBytes());
        }
        return fetched;
    }

    private static List<Path> concat(List<Path> first, List<Path> second) {
        List<Path> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
