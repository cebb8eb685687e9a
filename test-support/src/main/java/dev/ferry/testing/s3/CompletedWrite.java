package dev.ferry.testing.s3;

/**
 * One change the S3 test server completed: a single PUT, a multipart upload completed from
 * {@code parts} parts, or a DELETE; {@code serverSideEncryption} is what the write asked the store for
 * ({@code x-amz-server-side-encryption}, and {@code /<kms key id>} when one was named), or null.
 */
public record CompletedWrite(String bucket, String key, Kind kind, int parts, String serverSideEncryption) {

    public CompletedWrite(String bucket, String key, Kind kind, int parts) {
        this(bucket, key, kind, parts, null);
    }

    public enum Kind {
        PUT,
        MULTIPART,
        DELETE
    }

    public boolean multipart() {
        return kind == Kind.MULTIPART;
    }
}
