package dev.ferry.s3;

import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;

/**
 * When the SDK adds and checks the newer S3 integrity checksums (CRC32 and friends). Since 2.30 the
 * SDK sends them on every upload by default, which older S3-compatible stores reject; Ferry's own
 * SHA-256 over every artifact guards integrity end to end either way.
 */
public enum ChecksumMode {
    /** Only where an operation requires one: works with every S3-compatible store. */
    WHEN_REQUIRED(RequestChecksumCalculation.WHEN_REQUIRED, ResponseChecksumValidation.WHEN_REQUIRED),
    /** Wherever the operation supports one (the SDK's default): for Amazon S3 and current stores. */
    WHEN_SUPPORTED(RequestChecksumCalculation.WHEN_SUPPORTED, ResponseChecksumValidation.WHEN_SUPPORTED);

    private final RequestChecksumCalculation request;
    private final ResponseChecksumValidation response;

    ChecksumMode(RequestChecksumCalculation request, ResponseChecksumValidation response) {
        this.request = request;
        this.response = response;
    }

    public RequestChecksumCalculation request() {
        return request;
    }

    public ResponseChecksumValidation response() {
        return response;
    }
}
