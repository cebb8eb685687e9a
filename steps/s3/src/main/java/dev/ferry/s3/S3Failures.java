package dev.ferry.s3;

import dev.ferry.core.StepFailure;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns what the SDK throws into one line a user can act on, naming the setting to fix. Messages
 * name variables, never their values: a secret must not reach a log through an error message.
 */
public final class S3Failures {

    private S3Failures() {}

    /**
     * The failure to throw for {@code thrown}: a {@link StepFailure} for the cases a user can fix,
     * otherwise the SDK's own exception (reported as unexpected, exit 1).
     */
    public static RuntimeException translate(Throwable thrown, String bucket, String endpoint) {
        Throwable failure = unwrap(thrown);
        if (failure instanceof StepFailure stepFailure) {
            return stepFailure;
        }
        if (failure instanceof S3Exception s3) {
            String code =
                    s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            if (failure instanceof NoSuchBucketException || "NoSuchBucket".equals(code)) {
                return StepFailure.badConfiguration("bucket '" + bucket + "' does not exist at " + endpoint
                        + ": set FERRY_S3_BUCKET to an existing bucket (Ferry never creates buckets)");
            }
            if ("InvalidAccessKeyId".equals(code)) {
                return StepFailure.badConfiguration("the S3 store at " + endpoint
                        + " does not know this access key (InvalidAccessKeyId): check AWS_ACCESS_KEY_ID");
            }
            if ("SignatureDoesNotMatch".equals(code)) {
                return StepFailure.badConfiguration("the S3 store at " + endpoint
                        + " rejected the request signature (SignatureDoesNotMatch): check AWS_SECRET_ACCESS_KEY");
            }
            if (s3.statusCode() == 403) {
                return StepFailure.badConfiguration("access to bucket '" + bucket + "' at " + endpoint + " denied ("
                        + (code == null ? "HTTP 403" : code)
                        + "): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY and the bucket's policy");
            }
            return new IllegalStateException(
                    "S3 request to " + endpoint + " failed: " + (code == null ? "" : code + " ") + "HTTP "
                            + s3.statusCode(),
                    s3);
        }
        if (failure instanceof ApiCallTimeoutException timeout) {
            return new StepFailure(
                    dev.ferry.core.ExitCode.BAD_CONFIGURATION,
                    "the S3 endpoint " + endpoint + " did not answer in time (" + firstLine(timeout.getMessage())
                            + "): check AWS_ENDPOINT_URL_S3",
                    timeout);
        }
        if (failure instanceof SdkClientException client) {
            if (String.valueOf(client.getMessage()).contains("Unable to load credentials")) {
                return StepFailure.badConfiguration(
                        "no S3 credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or provide a role)");
            }
            Throwable network = networkCause(client);
            if (network == null && droppedConnection(client)) {
                return new StepFailure(
                        dev.ferry.core.ExitCode.BAD_CONFIGURATION,
                        "the S3 endpoint " + endpoint
                                + " accepted the connection and closed it before answering, on every attempt: check "
                                + "AWS_ENDPOINT_URL_S3 and the router or load balancer in front of the store (retries: "
                                + "FERRY_S3_MAX_ATTEMPTS)",
                        client);
            }
            if (network != null) {
                return new StepFailure(
                        dev.ferry.core.ExitCode.BAD_CONFIGURATION,
                        "cannot reach the S3 endpoint "
                                + endpoint + " (" + network.getClass().getSimpleName() + ": "
                                + firstLine(network.getMessage())
                                + "): check AWS_ENDPOINT_URL_S3",
                        client);
            }
        }
        return failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
    }

    static Throwable unwrap(Throwable thrown) {
        Throwable t = thrown;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The connection was there and went away mid-request: a front end with nothing behind it, or a store restarting. */
    private static boolean droppedConnection(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (t instanceof java.nio.channels.ClosedChannelException
                    || message.contains("connection was closed")
                    || message.contains("connection reset")
                    || message.contains("server failed to complete the response")) {
                return true;
            }
        }
        return false;
    }

    private static Throwable networkCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException
                    || t instanceof UnknownHostException
                    || t instanceof SSLException
                    || t instanceof UnresolvedAddressException
                    || t.getClass().getName().endsWith("ConnectTimeoutException")) {
                return t;
            }
        }
        return null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
