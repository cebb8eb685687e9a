package dev.ferry.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3FailuresTest {

    private static final String ENDPOINT = "http://127.0.0.1:9000";
    private static final ServerSideEncryption AES256 = ServerSideEncryption.of("AES256", Optional.empty());

    private static final S3Failures PLAIN = failures(ServerSideEncryption.NONE, ChecksumMode.WHEN_REQUIRED, false);

    private static S3Failures failures(ServerSideEncryption sse, ChecksumMode checksums, boolean virtualHosted) {
        return new S3Failures("onyx-migrations", ENDPOINT, true, virtualHosted, sse, checksums);
    }

    private static S3Exception s3Error(int status, String code) {
        return s3Error(status, code, "the store's words");
    }

    private static S3Exception s3Error(int status, String code, String message) {
        return (S3Exception) S3Exception.builder()
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage(message)
                        .build())
                .build();
    }

    private static StepFailure translated(S3Failures failures, S3Call call, Throwable thrown, ExitCode expected) {
        RuntimeException result = failures.translate(call, new CompletionException(thrown));
        assertThat(result).isInstanceOf(StepFailure.class);
        assertThat(((StepFailure) result).exitCode()).isEqualTo(expected);
        assertThat(result.getMessage()).doesNotContain("\n");
        return (StepFailure) result;
    }

    private static StepFailure translated(Throwable thrown) {
        return translated(PLAIN, S3Call.LIST_OBJECTS, thrown, ExitCode.BAD_CONFIGURATION);
    }

    @Test
    void namesTheSettingToFix() {
        assertThat(translated(s3Error(404, "NoSuchBucket")))
                .hasMessageContaining("FERRY_S3_BUCKET")
                .hasMessageContaining("'onyx-migrations'");
        assertThat(translated(s3Error(403, "InvalidAccessKeyId"))).hasMessageContaining("AWS_ACCESS_KEY_ID");
        assertThat(translated(s3Error(403, "SignatureDoesNotMatch"))).hasMessageContaining("AWS_SECRET_ACCESS_KEY");
        assertThat(translated(s3Error(403, "AccessDenied")))
                .hasMessageContaining("ListObjectsV2 was answered AccessDenied HTTP 403")
                .hasMessageContaining("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        assertThat(translated(SdkClientException.create(
                        "Unable to execute HTTP request", new ConnectException("Connection refused"))))
                .hasMessageContaining("cannot reach the S3 endpoint http://127.0.0.1:9000")
                .hasMessageContaining("AWS_ENDPOINT_URL_S3");
    }

    @Test
    void encryptionRefusedOverPlainHttpNamesFerryS3Sse() {
        StepFailure failure = translated(
                failures(AES256, ChecksumMode.WHEN_REQUIRED, false),
                S3Call.PUT_OBJECT,
                s3Error(400, "InvalidRequest", ""),
                ExitCode.BAD_CONFIGURATION);
        assertThat(failure)
                .hasMessageStartingWith("FERRY_S3_SSE=AES256: the S3 store at http://127.0.0.1:9000 refused it")
                .hasMessageContaining("PutObject was answered InvalidRequest HTTP 400 with an empty message")
                .hasMessageContaining("over plain HTTP")
                .hasMessageContaining("https:// AWS_ENDPOINT_URL_S3");
    }

    @Test
    void checksumsRefusedNameTheChecksumMode() {
        assertThat(translated(
                        failures(ServerSideEncryption.NONE, ChecksumMode.WHEN_SUPPORTED, false),
                        S3Call.UPLOAD_PART,
                        s3Error(400, "XAmzContentSHA256Mismatch"),
                        ExitCode.BAD_CONFIGURATION))
                .hasMessageContaining("UploadPart was answered XAmzContentSHA256Mismatch HTTP 400")
                .hasMessageContaining("set FERRY_S3_CHECKSUM_MODE=when_required");
    }

    @Test
    void anUnresolvableBucketHostNamesPathStyle() {
        assertThat(translated(
                        failures(ServerSideEncryption.NONE, ChecksumMode.WHEN_REQUIRED, true),
                        S3Call.LIST_OBJECTS,
                        SdkClientException.create(
                                "Unable to execute HTTP request",
                                new UnknownHostException("onyx-migrations.s3.openshift-storage.svc")),
                        ExitCode.BAD_CONFIGURATION))
                .hasMessageContaining("set FERRY_S3_PATH_STYLE=true");
    }

    @Test
    void aMissingOperationIsOneLineNamingIt() {
        assertThat(translated(PLAIN, S3Call.LIST_PARTS, s3Error(501, "NotImplemented"), ExitCode.BAD_CONFIGURATION))
                .hasMessageContaining("does not implement ListParts (ListParts was answered NotImplemented HTTP 501");
    }

    @Test
    void aFailingStoreIsOneLineNotAStackTrace() {
        assertThat(translated(PLAIN, S3Call.UPLOAD_PART, s3Error(500, "InternalError"), ExitCode.UNEXPECTED))
                .hasMessageContaining("UploadPart was answered InternalError HTTP 500")
                .hasMessageContaining("FERRY_S3_MAX_ATTEMPTS");
        assertThat(translated(
                        PLAIN, S3Call.GET_OBJECT, s3Error(412, "PreconditionFailed"), ExitCode.VERIFICATION_FAILED))
                .hasMessageContaining("changed");
        assertThat(translated(PLAIN, S3Call.COMPLETE_MULTIPART_UPLOAD, s3Error(400, null, null), ExitCode.UNEXPECTED))
                .hasMessageContaining("CompleteMultipartUpload was answered HTTP 400 with an empty message");
    }

    @Test
    void tellsAnOptionalOperationTheStoreLacks() {
        assertThat(S3Failures.unsupported(
                        PLAIN.translate(S3Call.LIST_MULTIPART_UPLOADS, s3Error(501, "NotImplemented"))))
                .isTrue();
        assertThat(S3Failures.unsupported(s3Error(405, "MethodNotAllowed"))).isTrue();
        assertThat(S3Failures.unsupported(s3Error(400, null, ""))).isTrue();
        assertThat(S3Failures.unsupported(s3Error(403, "AccessDenied"))).isFalse();
        assertThat(S3Failures.unsupported(s3Error(500, "InternalError"))).isFalse();
        assertThat(S3Failures.describeAnswer(s3Error(501, "NotImplemented", "")))
                .isEqualTo("NotImplemented HTTP 501 with an empty message");
    }
}
