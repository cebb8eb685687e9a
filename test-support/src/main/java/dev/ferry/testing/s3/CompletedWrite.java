package dev.ferry.testing.s3;

/**
 * One change the S3 test server completed: a single PUT, a multipart upload completed from
 * {@code parts} parts, or a DELETE.
 */
public record CompletedWrite(String bucket, String key, Kind kind, int parts) {

    public enum Kind {
        PUT,
        MULTIPART,
        DELETE
    }

    public boolean multipart() {
        return kind == Kind.MULTIPART;
    }
}
