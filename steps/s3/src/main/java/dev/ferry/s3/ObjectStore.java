package dev.ferry.s3;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The object store as the step's settings name it (the AWS SDK's {@code AWS_*} variables and
 * {@code FERRY_S3_*}): what upload and download inject, so both read the same settings the same way.
 */
@Singleton
public class ObjectStore {

    @Inject
    AwsConfig aws;

    @Inject
    S3Settings settings;

    /** Validates the settings (exit 2 naming the variable) and opens a client; close it when done. */
    public S3Transfer open() {
        return S3Transfer.open(aws, settings);
    }
}
