package dev.ferry.s3;

import java.util.Optional;

/**
 * What one object's download fetched, what it found already in the file from a run that was killed, and the
 * SHA-256 of the whole file when it was computed as the bytes went by (empty when part of the file came from the
 * earlier run, which only a read of the file can prove).
 */
public record DownloadOutcome(long fetchedBytes, long reusedBytes, Optional<String> sha256) {}
