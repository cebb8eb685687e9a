package dev.ferry.s3;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * The S3 connection under the AWS SDK's own environment variable names, so the same Secret that
 * serves the AWS CLI (or a MinIO/Ceph/ODF ObjectBucketClaim's Secret and ConfigMap) serves Ferry.
 */
@ConfigMapping(prefix = "aws")
public interface AwsConfig {

    /**
     * AWS_ACCESS_KEY_ID: access key of the S3 credentials. Unset: the SDK's default provider chain
     * (web identity token, profile files, container or instance role).
     */
    Optional<String> accessKeyId();

    /** AWS_SECRET_ACCESS_KEY: the secret key that goes with AWS_ACCESS_KEY_ID; never logged. */
    Optional<String> secretAccessKey();

    /** AWS_SESSION_TOKEN: session token of temporary credentials, used together with the two keys above. */
    Optional<String> sessionToken();

    /** AWS_REGION: signing region; S3-compatible stores usually accept any, {@code us-east-1} is their convention. */
    @WithDefault("us-east-1")
    String region();

    /**
     * AWS_ENDPOINT_URL_S3: endpoint of an S3-compatible store (MinIO, Ceph RGW, OpenShift Data
     * Foundation), e.g. {@code https://minio.example:9000}. Unset: Amazon S3 of AWS_REGION.
     */
    Optional<String> endpointUrlS3();
}
