package dev.ferry.testing.s3;

/**
 * One object write the S3 test server completed: a single PUT ({@code parts == 0}) or a multipart
 * upload completed from {@code parts} parts.
 */
public record CompletedWrite(String bucket, String key, int parts) {

    public boolean multipart() {
        return parts > 0;
    }
}
