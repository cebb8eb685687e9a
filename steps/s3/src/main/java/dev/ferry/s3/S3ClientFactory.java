package dev.ferry.s3;

import dev.ferry.core.StepFailure;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;

/**
 * Builds the S3 client every step uses: an async client with the endpoint, addressing style, checksum
 * behaviour and retries from the settings, and static credentials when given (else the SDK's default
 * chain).
 */
public final class S3ClientFactory {

    /** S3's smallest allowed part (all but the last part of a multipart upload). */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

    private S3ClientFactory() {}

    /**
     * Opens the client for these settings, on one Netty connection pool of FERRY_S3_CONCURRENCY
     * connections. Large files go up as multipart uploads Ferry drives itself (ResumableUpload: the SDK's
     * multipart client cannot take over an upload a killed run left open) and come down as ranged GETs
     * (RangedDownload), because GETs by part number (what the SDK's multipart download uses) are not
     * implemented by every S3-compatible store (S3Proxy answers 501, older Ceph RGW too).
     */
    public static S3Clients create(AwsConfig aws, S3Settings s3) {
        long partSize = s3.partSize().asLongValue();
        if (partSize < MIN_PART_SIZE) {
            throw StepFailure.badConfiguration(
                    "FERRY_S3_PART_SIZE must be at least 5M (S3's smallest part), got " + partSize + " bytes");
        }
        long threshold = s3.multipartThreshold().asLongValue();
        if (threshold < 1) {
            throw StepFailure.badConfiguration("FERRY_S3_MULTIPART_THRESHOLD must be positive");
        }
        if (s3.maxAttempts() < 1) {
            throw StepFailure.badConfiguration("FERRY_S3_MAX_ATTEMPTS must be at least 1, got " + s3.maxAttempts());
        }
        if (s3.concurrency() < 1) {
            throw StepFailure.badConfiguration("FERRY_S3_CONCURRENCY must be at least 1, got " + s3.concurrency());
        }
        Optional<URI> endpoint = endpoint(aws);
        AwsCredentialsProvider credentials = credentials(aws);
        // The step owns the event loops so that it can stop them at once: the SDK's own close waits a 2 s
        // quiet period for work that cannot come, since every request has completed when the step closes.
        SdkEventLoopGroup eventLoops = SdkEventLoopGroup.builder().build();
        SdkAsyncHttpClient http = NettyNioAsyncHttpClient.builder()
                .eventLoopGroup(eventLoops)
                .maxConcurrency(s3.concurrency())
                // An unreachable endpoint should fail fast…
                .connectionTimeout(Duration.ofSeconds(10))
                // …but a part waiting for a busy connection is normal on a slow link, not an error.
                .connectionAcquisitionTimeout(Duration.ofMinutes(5))
                .build();
        S3AsyncClient client = builder(aws, s3, endpoint, credentials, http).build();
        return new S3Clients(client, http, eventLoops);
    }

    private static S3AsyncClientBuilder builder(
            AwsConfig aws,
            S3Settings s3,
            Optional<URI> endpoint,
            AwsCredentialsProvider credentials,
            SdkAsyncHttpClient http) {
        S3AsyncClientBuilder builder = S3AsyncClient.builder()
                .region(Region.of(aws.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(pathStyle(aws, s3))
                .requestChecksumCalculation(s3.checksumMode().request())
                .responseChecksumValidation(s3.checksumMode().response())
                // Transient failures (closed or reset connections, 5xx, throttling) are retried with backoff, a bounded
                // number of times.
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(s3.maxAttempts())
                        .build()))
                .httpClient(http);
        endpoint.ifPresent(builder::endpointOverride);
        return builder;
    }

    /** The client, its connection pool and the pool's event loops; closing closes them all. */
    public record S3Clients(S3AsyncClient client, SdkAsyncHttpClient http, SdkEventLoopGroup eventLoops)
            implements AutoCloseable {

        /** Longest wait for the event loops to end; they have nothing left to run when the clients close. */
        static final long EVENT_LOOP_SHUTDOWN_SECONDS = 5;

        /**
         * How long the event loops stay open after the last task they ran: closing the connection pool closes its
         * channels asynchronously, and each closed channel hands the pool a task on its loop. A loop already shut
         * down rejects it, and Netty logs that with a stack trace (seen when a failed request left parts in flight).
         * A short quiet period lets those tasks run, without the SDK's own 2 s.
         */
        static final long EVENT_LOOP_QUIET_MILLIS = 100;

        @Override
        public void close() {
            client.close();
            http.close();
            eventLoops
                    .eventLoopGroup()
                    .shutdownGracefully(
                            EVENT_LOOP_QUIET_MILLIS,
                            TimeUnit.SECONDS.toMillis(EVENT_LOOP_SHUTDOWN_SECONDS),
                            TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(EVENT_LOOP_SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** The endpoint override, if any; a malformed one is bad configuration naming the variable. */
    public static Optional<URI> endpoint(AwsConfig aws) {
        Optional<String> raw = aws.endpointUrlS3().map(String::strip).filter(s -> !s.isEmpty());
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(raw.get());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new URISyntaxException(raw.get(), "not an http(s) URL with a host");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            // The value itself is not echoed: a URL may carry credentials in its user-info part.
            throw StepFailure.badConfiguration("AWS_ENDPOINT_URL_S3 must be an http:// or https:// URL with a host, "
                    + "e.g. https://minio.example:9000");
        }
    }

    /**
     * Whether buckets are addressed in the path: FERRY_S3_PATH_STYLE when set, else whenever AWS_ENDPOINT_URL_S3 names
     * a store other than Amazon S3. In-cluster stores are reached by a service name ({@code s3.openshift-storage.svc})
     * under which no {@code <bucket>.} host exists; Amazon S3 itself prefers the bucket as a host name.
     */
    public static boolean pathStyle(AwsConfig aws, S3Settings s3) {
        return s3.pathStyle()
                .orElseGet(() ->
                        endpoint(aws).map(uri -> !isAmazonS3(uri.getHost())).orElse(false));
    }

    private static boolean isAmazonS3(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        return name.endsWith(".amazonaws.com") || name.endsWith(".amazonaws.com.cn");
    }

    /** The endpoint as messages may show it: scheme, host and port only. */
    public static String describeEndpoint(AwsConfig aws) {
        return endpoint(aws)
                .map(uri -> uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()))
                .orElse("Amazon S3 (" + aws.region() + ")");
    }

    static AwsCredentialsProvider credentials(AwsConfig aws) {
        Optional<String> accessKey = aws.accessKeyId().filter(s -> !s.isBlank());
        Optional<String> secretKey = aws.secretAccessKey().filter(s -> !s.isBlank());
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw StepFailure.badConfiguration(
                    accessKey.isPresent()
                            ? "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both, or neither to use a role"
                            : "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not: set both, or neither to use a role");
        }
        if (accessKey.isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        Optional<String> token = aws.sessionToken().filter(s -> !s.isBlank());
        return StaticCredentialsProvider.create(
                token.isPresent()
                        ? AwsSessionCredentials.create(accessKey.get(), secretKey.get(), token.get())
                        : AwsBasicCredentials.create(accessKey.get(), secretKey.get()));
    }
}
