package dev.ferry.testing.s3;

import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * An S3 server a test can run against, whichever code base serves it (S3Proxy in-process, Ceph's RADOS
 * Gateway, or an {@link S3Front} before either), so one test can be parameterized over several stores.
 */
public interface S3Store extends AutoCloseable {

    /** Short name for test display names, e.g. {@code s3proxy} or {@code ceph-rgw}. */
    String name();

    /** Path-style endpoint: {@code http://127.0.0.1:<port>}, buckets as the first path segment. */
    URI endpoint();

    String accessKey();

    String secretKey();

    /** The region clients sign with. */
    default String region() {
        return "us-east-1";
    }

    /** Creates a bucket through the S3 API; S3 requires names of 3 to 63 characters. */
    void createBucket(String name);

    /** A client for the test's own checks, built from {@link #clientBuilder()}; closed with the store. */
    S3Client client();

    /**
     * A synchronous client builder for this store with the settings the steps use against S3-compatible
     * servers: path-style addressing and checksums only where an operation requires them. A test that
     * wants another setting (e.g. the SDK's default {@code WHEN_SUPPORTED}) overrides it before build().
     */
    default S3ClientBuilder clientBuilder() {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .region(Region.of(region()))
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey(), secretKey())))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(Apache5HttpClient.builder());
    }

    /**
     * The environment a step program needs to reach this store (AWS SDK names plus path-style
     * addressing, which a server on 127.0.0.1 requires).
     */
    default Map<String, String> stepEnvironment() {
        return Map.of(
                "AWS_ACCESS_KEY_ID", accessKey(),
                "AWS_SECRET_ACCESS_KEY", secretKey(),
                "AWS_REGION", region(),
                "AWS_ENDPOINT_URL_S3", endpoint().toString(),
                "FERRY_S3_PATH_STYLE", "true");
    }

    /** Stops the store and frees what it holds; never throws a checked exception. */
    @Override
    void close();
}
