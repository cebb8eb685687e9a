package dev.ferry.s3;

import dev.ferry.core.StepFailure;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The store's own encryption at rest, asked for on every object Ferry writes (the {@code x-amz-server-side-encryption}
 * headers of PutObject and CreateMultipartUpload), for buckets whose policy demands it. It protects the store's
 * disks, not the objects from whoever may read the bucket: that is client-side encryption's job.
 */
public record ServerSideEncryption(Optional<String> algorithm, Optional<String> kmsKeyId) {

    static final String AES256 = "AES256";
    static final String KMS = "aws:kms";
    static final String KMS_DSSE = "aws:kms:dsse";

    public static final ServerSideEncryption NONE = new ServerSideEncryption(Optional.empty(), Optional.empty());

    /** FERRY_S3_SSE and FERRY_S3_SSE_KMS_KEY_ID, checked: an unknown algorithm or a KMS key without KMS is exit 2. */
    static ServerSideEncryption of(String sse, Optional<String> kmsKeyId) {
        Optional<String> algorithm = Optional.of(sse.strip()).filter(s -> !s.isEmpty() && !"none".equalsIgnoreCase(s));
        Optional<String> key = kmsKeyId.map(String::strip).filter(s -> !s.isEmpty());
        Optional<String> canonical = algorithm.map(a -> switch (a.toLowerCase(Locale.ROOT)) {
            case "aes256" -> AES256;
            case KMS -> KMS;
            case KMS_DSSE -> KMS_DSSE;
            default ->
                throw StepFailure.badConfiguration(
                        "FERRY_S3_SSE is \"" + a + "\": use none, AES256 (SSE-S3), aws:kms or aws:kms:dsse (SSE-KMS)");
        });
        if (key.isPresent() && !canonical.map(a -> a.startsWith(KMS)).orElse(false)) {
            throw StepFailure.badConfiguration(
                    "FERRY_S3_SSE_KMS_KEY_ID is set but FERRY_S3_SSE is not aws:kms: set FERRY_S3_SSE=aws:kms");
        }
        return new ServerSideEncryption(canonical, key);
    }

    PutObjectRequest.Builder applyTo(PutObjectRequest.Builder request) {
        algorithm.ifPresent(request::serverSideEncryption);
        kmsKeyId.ifPresent(request::ssekmsKeyId);
        return request;
    }

    CreateMultipartUploadRequest.Builder applyTo(CreateMultipartUploadRequest.Builder request) {
        algorithm.ifPresent(request::serverSideEncryption);
        kmsKeyId.ifPresent(request::ssekmsKeyId);
        return request;
    }

    /** Whether FERRY_S3_SSE asks the store for encryption at rest. */
    boolean requested() {
        return algorithm.isPresent();
    }

    /**
     * Whether the store's answer to a write says it applied what was asked: S3 echoes the algorithm in the
     * {@code x-amz-server-side-encryption} header of PutObject, CreateMultipartUpload and CompleteMultipartUpload
     * answers. A store that takes the header and stores the object as it came (Ceph RGW without an encryption
     * backend) answers without it. With nothing asked, any answer is fine.
     */
    boolean appliedBy(Optional<String> answeredAlgorithm) {
        return algorithm.isEmpty()
                || answeredAlgorithm
                        .filter(answered -> answered.equalsIgnoreCase(algorithm.get()))
                        .isPresent();
    }

    /** The refusal when a store did not apply the encryption asked for; the caller has removed what was written. */
    StepFailure notApplied(S3Call call, String endpoint, Optional<String> answeredAlgorithm) {
        return StepFailure.refused("FERRY_S3_SSE=" + describe() + " was asked for, but the S3 store at " + endpoint
                + " did not apply it (its answer to " + call + " says "
                + answeredAlgorithm
                        .map(a -> "x-amz-server-side-encryption: " + a)
                        .orElse("no x-amz-server-side-encryption")
                + "): the object would rest unencrypted, so Ferry removed it; turn on the store's encryption at rest"
                + " (Ceph RGW: an SSE-S3 or KMS backend), or set FERRY_S3_SSE=none to go on without it");
    }

    /** For the log: the algorithm and whether a key was named, never more. */
    public String describe() {
        return algorithm
                .map(a -> a + kmsKeyId.map(k -> " (KMS key " + k + ")").orElse(""))
                .orElse("none");
    }
}
