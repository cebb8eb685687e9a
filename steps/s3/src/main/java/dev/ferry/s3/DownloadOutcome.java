package dev.ferry.s3;

/** What one object's download fetched, and what it found already in the file from a run that was killed. */
public record DownloadOutcome(long fetchedBytes, long reusedBytes) {}
