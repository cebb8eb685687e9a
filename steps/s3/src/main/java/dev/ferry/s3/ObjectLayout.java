package dev.ferry.core.s3;

import dev.ferry.core.manifest.Manifest;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a migration lives in the bucket, in one place:
 * {@code s3://<bucket>/<prefix>/<migration-id>/<artifact path>}, with {@code manifest.json} beside
 * the artifacts. Upload and download both derive every key from here, so they cannot disagree.
 */
public final class ObjectLayout {

    /** Ids become one key segment: no slashes, nothing that S3 or a shell would treat specially. */
    private static final Pattern MIGRATION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final String bucket;
    private final String prefix;

    public ObjectLayout(String bucket, String prefix) {
        this.bucket = bucket;
        this.prefix = trimSlashes(prefix);
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
        if (!isValidMigrationId(migrationId)) {
            throw new IllegalArgumentException("not a valid migration id: " + migrationId);
        }
        return migrationsPrefix() + migrationId + "/";
    }

    public String artifactKey(String migrationId, String artifactPath) {
        if (!isSafeRelativePath(artifactPath)) {
            throw new IllegalArgumentException("not a safe relative artifact path: " + artifactPath);
        }
        return migrationFolder(migrationId) + artifactPath;
    }

    public String manifestKey(String migrationId) {
        return migrationFolder(migrationId) + Manifest.FILE_NAME;
    }

    /** The id of the migration whose manifest has this key, if the key is a manifest key at all. */
    public Optional<String> migrationIdOfManifestKey(String key) {
        String folderPrefix = migrationsPrefix();
        String suffix = "/" + Manifest.FILE_NAME;
        if (!key.startsWith(folderPrefix) || !key.endsWith(suffix)) {
            return Optional.empty();
        }
        String id = key.substring(folderPrefix.length(), key.length() - suffix.length());
        return isValidMigrationId(id) ? Optional.of(id) : Optional.empty();
    }

    public String uri(String key) {
        return "s3://" + bucket + "/" + key;
    }

    public static boolean isValidMigrationId(String id) {
        return id != null && MIGRATION_ID.matcher(id).matches();
    }

    /** Relative, forward slashes, no empty, "." or ".." segment: cannot escape the migration's folder or the workdir. */
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
