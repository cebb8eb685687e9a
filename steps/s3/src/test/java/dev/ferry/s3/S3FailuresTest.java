package dev.ferry.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3FailuresTest {

    private static S3Exception s3Error(int status, String code) {
        return (S3Exception) S3Exception.builder()
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build())
                .build();
    }

    private static StepFailure translated(Throwable thrown) {
        RuntimeException result =
                S3Failures.translate(new CompletionException(thrown), "onyx-migrations", "http://127.0.0.1:9000");
        assertThat(result).isInstanceOf(StepFailure.class);
        assertThat(((StepFailure) result).exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION);
        return (StepFailure) result;
    }

    @Test
    void namesTheSettingToFix() {
        assertThat(translated(s3Error(404, "NoSuchBucket")))
                .hasMessageContaining("FERRY_S3_BUCKET")
                .hasMessageContaining("'onyx-migrations'");
        assertThat(translated(s3Error(403, "InvalidAccessKeyId"))).hasMessageContaining("AWS_ACCESS_KEY_ID");
        assertThat(translated(s3Error(403, "SignatureDoesNotMatch"))).hasMessageContaining("AWS_SECRET_ACCESS_KEY");
        assertThat(translated(s3Error(403, "AccessDenied")))
                .hasMessageContaining("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        assertThat(translated(SdkClientException.create(
                        "Unable to execute HTTP request", new ConnectException("Connection refused"))))
                .hasMessageContaining("cannot reach the S3 endpoint http://127.0.0.1:9000")
                .hasMessageContaining("AWS_ENDPOINT_URL_S3");
    }

    @Test
    void leavesOtherErrorsUnexpected() {
        assertThat(S3Failures.translate(s3Error(500, "InternalError"), "b", "e"))
                .isNotInstanceOf(StepFailure.class)
                .hasMessageContaining("InternalError");
    }
}
