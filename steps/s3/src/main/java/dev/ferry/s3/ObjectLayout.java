package dev.ferry.s3;

import dev.ferry.core.StepFailure;
import dev.ferry.core.workspace.MigrationId;
import dev.ferry.core.workspace.Workspace;
import java.util.Optional;

/**
 * Where a migration lives in the bucket, in one place:
 * {@code s3://<bucket>/<prefix>/<migration-id>/<artifact path>}, with {@code manifest.json} beside
 * the artifacts. Upload and download both derive every key from here, so they cannot disagree.
 */
public final class ObjectLayout {

    private final String bucket;
    private final String prefix;

    /**
     * {@code prefix} may be empty or {@code /} (the bucket's root); otherwise each of its segments must be
     * a real name, because a filesystem-backed store would resolve {@code ..} outside the bucket.
     */
    public ObjectLayout(String bucket, String prefix) {
        this.bucket = bucket;
        this.prefix = trimSlashes(prefix);
        if (!this.prefix.isEmpty() && !Workspace.isSafeRelativePath(this.prefix)) {
            throw StepFailure.badConfiguration(
                    "FERRY_S3_PREFIX \"" + prefix
                            + "\" has an empty, '.' or '..' segment or a backslash: use names separated by '/', or '/' for the bucket root");
        }
    }

    public String bucket() {
        return bucket;
    }

    /** The prefix without leading or trailing slashes; empty means the bucket's root. */
    public String prefix() {
        return prefix;
    }

    /** The key prefix under which every migration has its folder. */
    public String migrationsPrefix() {
        return prefix.isEmpty() ? "" : prefix + "/";
    }

    public String migrationFolder(String migrationId) {
        if (!MigrationId.isValid(migrationId)) {
            throw new IllegalArgumentException("not a valid migration id: " + migrationId);
        }
        return migrationsPrefix() + migrationId + "/";
    }

    public String artifactKey(String migrationId, String artifactPath) {
        if (!Workspace.isSafeRelativePath(artifactPath)) {
            throw new IllegalArgumentException("not a safe relative artifact path: " + artifactPath);
        }
        return migrationFolder(migrationId) + artifactPath;
    }

    public String manifestKey(String migrationId) {
        return migrationFolder(migrationId) + Workspace.MANIFEST;
    }

    /** The folder of validate's report, beside the migration's artifacts: {@code <migration>/report/}. */
    public String reportFolder(String migrationId) {
        return migrationFolder(migrationId) + Workspace.REPORT + "/";
    }

    /** Where one file of validate's report goes. */
    public String reportKey(String migrationId, String fileName) {
        if (!Workspace.isSafeRelativePath(fileName) || fileName.contains("/")) {
            throw new IllegalArgumentException("not a plain file name: " + fileName);
        }
        return reportFolder(migrationId) + fileName;
    }

    /** The id of the migration whose manifest has this key, if the key is a manifest key at all. */
    public Optional<String> migrationIdOfManifestKey(String key) {
        String folderPrefix = migrationsPrefix();
        String suffix = "/" + Workspace.MANIFEST;
        if (!key.startsWith(folderPrefix) || !key.endsWith(suffix)) {
            return Optional.empty();
        }
        String id = key.substring(folderPrefix.length(), key.length() - suffix.length());
        return MigrationId.isValid(id) ? Optional.of(id) : Optional.empty();
    }

    public String uri(String key) {
        return "s3://" + bucket + "/" + key;
    }

    private static String trimSlashes(String value) {
        String trimmed = value == null ? "" : value.strip();
        int start = 0;
        int end = trimmed.length();
        while (start < end && trimmed.charAt(start) == '/') {
            start++;
        }
        while (end > start && trimmed.charAt(end - 1) == '/') {
            end--;
        }
        return trimmed.substring(start, end);
    }
}
