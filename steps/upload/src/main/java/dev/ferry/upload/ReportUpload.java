package dev.ferry.upload;

import dev.ferry.core.Sha256;
import dev.ferry.core.StepFailure;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.crypto.EncryptedObjects;
import dev.ferry.crypto.Keyset;
import dev.ferry.s3.ObjectLayout;
import dev.ferry.s3.S3Transfer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Puts validate's report beside the migration it checked, {@code <migration>/report/<file>}, so the people who
 * own the bucket find the verdict, the differences and the outage with the dump. Each file in one PUT with its
 * SHA-256 as metadata and a media type a browser shows (the SVG timeline opens as a picture). Files that are
 * still being written are left out; a rerun puts the same keys again. With a keyset each file is encrypted like
 * the dump (it names tables, differences and timings), so only those who hold the key read it.
 */
record ReportUpload(S3Transfer store, Workspace workspace, Optional<Keyset> keyset) {

    private static final Logger LOG = Logger.getLogger(ReportUpload.class);

    /** What was put: the files and the folder they went to. */
    record Outcome(List<String> files, long bytes, String folderUri) {}

    Outcome upload(String migrationId) {
        List<Path> files = reportFiles();
        if (files.isEmpty()) {
            throw StepFailure.verificationFailed("no report to upload in " + workspace.reportFolder()
                    + ": validate writes it; run this after validate, on the same workspace");
        }
        store.checkBucket();
        ObjectLayout layout = store.layout();
        long bytes = 0;
        for (Path file : files) {
            String name = file.getFileName().toString();
            byte[] content = read(file);
            String key = layout.reportKey(migrationId, name);
            Map<String, String> metadata = new HashMap<>(Map.of(S3Transfer.SHA256_METADATA, Sha256.of(content)));
            if (keyset.isPresent()) {
                // Named as it lies below the migration's folder, report/<file>.
                String objectName = EncryptedObjects.objectName(migrationId, Workspace.REPORT + "/" + name);
                metadata.putAll(EncryptedObjects.metadata(keyset.get()));
                content = keyset.get().encrypt(content, objectName);
            }
            store.putBytes(key, content, keyset.isPresent() ? "application/octet-stream" : mediaType(name), metadata);
            bytes += content.length;
            LOG.infof("phase=report file=%s bytes=%d uri=%s", name, content.length, layout.uri(key));
        }
        return new Outcome(
                files.stream().map(f -> f.getFileName().toString()).toList(),
                bytes,
                layout.uri(layout.reportFolder(migrationId)));
    }

    private List<Path> reportFiles() {
        Path folder = workspace.reportFolder();
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> listing = Files.list(folder)) {
            // Hidden names are files still being written (AtomicFiles' ".<name>.partial").
            return listing.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw StepFailure.verificationFailed("cannot list " + folder + ": " + e.getMessage());
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw StepFailure.verificationFailed("cannot read " + file + ": " + e.getMessage());
        }
    }

    static String mediaType(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".json")) {
            return "application/json";
        }
        if (lower.endsWith(".md")) {
            return "text/markdown; charset=utf-8";
        }
        if (lower.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "application/octet-stream";
    }
}
