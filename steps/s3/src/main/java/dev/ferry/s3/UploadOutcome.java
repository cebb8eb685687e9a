package dev.ferry.s3;

/**
 * What one file's upload sent, and what it took over from the open multipart upload of a run that was
 * killed (parts the store already held with the same bytes).
 */
public record UploadOutcome(long sentBytes, long reusedBytes, int reusedParts) {

    static UploadOutcome sentWhole(long size) {
        return new UploadOutcome(size, 0, 0);
    }
}
