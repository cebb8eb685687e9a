package dev.ferry.s3;

/** An object as it was stored: its size, the SHA-256 of its bytes and the ETag the store gave it. */
public record StoredObject(long size, String sha256, String etag) {}
