package dev.ferry.s3;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Where Ferry keeps migrations in object storage, and how it talks to the store. */
@ConfigMapping(prefix = "ferry.s3")
public interface S3Settings {

    /** FERRY_S3_BUCKET: bucket that holds the migrations; it must exist (Ferry never creates buckets). */
    Optional<String> bucket();

    /**
     * FERRY_S3_PREFIX: key prefix; each migration lives under
     * {@code <prefix>/<migration-id>/}. Leading and trailing slashes are ignored.
     */
    @WithDefault("ferry")
    String prefix();

    /**
     * FERRY_S3_PATH_STYLE: {@code true} addresses objects as {@code https://host/bucket/key}, {@code false} as
     * {@code https://bucket.host/key}. Unset: path style when AWS_ENDPOINT_URL_S3 names a store other than Amazon S3
     * (MinIO, Ceph RGW and ODF serve no per-bucket host names in a cluster), the bucket as a host name on Amazon S3.
     */
    Optional<Boolean> pathStyle();

    /**
     * FERRY_S3_CHECKSUM_MODE: {@code when_required} sends the SDK's newer integrity checksums only where
     * an operation demands them (works with stores that lack them); {@code when_supported} sends them
     * wherever possible (Amazon S3, current MinIO).
     */
    @WithDefault("when_required")
    ChecksumMode checksumMode();

    /**
     * FERRY_S3_MULTIPART_THRESHOLD: files at least this large are uploaded in parts (suffix K, M, G
     * for KiB, MiB, GiB).
     */
    @WithDefault("16M")
    @WithConverter(MemorySizeConverter.class)
    MemorySize multipartThreshold();

    /**
     * FERRY_S3_PART_SIZE: size of each part of a multipart upload, at least 5M (S3's minimum; Ferry
     * raises it when a file would need more than 10,000 parts), and of each ranged GET of a download.
     */
    @WithDefault("16M")
    @WithConverter(MemorySizeConverter.class)
    MemorySize partSize();

    /**
     * FERRY_S3_MAX_ATTEMPTS: attempts of each request before a transient failure (connection reset or closed,
     * HTTP 5xx, throttling) fails the step; retries back off exponentially (the SDK's standard strategy: a
     * random wait up to 100 ms doubling per attempt, capped at 20 s), so 5 attempts give up within about 2 s
     * of backing off when a store is gone.
     */
    @WithDefault("5")
    int maxAttempts();

    /** FERRY_S3_CONCURRENCY: HTTP connections in flight at once, i.e. parts or ranges transferred in parallel. */
    @WithDefault("8")
    int concurrency();

    /**
     * FERRY_S3_SSE: the store's own encryption at rest asked for on every object Ferry writes, for buckets whose
     * policy demands the header: {@code none}, {@code AES256} (SSE-S3), {@code aws:kms} or {@code aws:kms:dsse}
     * (SSE-KMS). It protects the store's disks, not the data from whoever can read the bucket: that is
     * FERRY_ENCRYPTION_KEYSET's job.
     */
    @WithDefault("none")
    String sse();

    /** FERRY_S3_SSE_KMS_KEY_ID: the KMS key (id, ARN or alias) for FERRY_S3_SSE=aws:kms; unset: the bucket's default key. */
    Optional<String> sseKmsKeyId();
}
