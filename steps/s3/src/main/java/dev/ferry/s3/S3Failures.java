package dev.ferry.s3;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns what a store answers, and what the SDK throws, into one line a user can act on: the step's exit code, the
 * operation, the store's own code and status, and the setting to fix where there is one. Every answer a store gives
 * is such a line ({@link StepFailure}, never a stack trace); only what is no answer at all and no known network
 * failure is left to be reported as unexpected. Messages name variables, never their values: a secret must not reach
 * a log through an error message.
 */
public final class S3Failures {

    /** What a store says of the SDK's newer integrity checksums when it does not take them. */
    private static final Set<String> CHECKSUM_REFUSALS =
            Set.of("XAmzContentSHA256Mismatch", "BadDigest", "InvalidDigest", "InvalidChecksum", "InvalidArgument");

    private static final int SHOWN_MESSAGE_LENGTH = 160;

    private final String bucket;
    private final String endpoint;
    private final boolean plainHttp;
    private final boolean virtualHosted;
    private final ServerSideEncryption serverSideEncryption;
    private final ChecksumMode checksumMode;

    /**
     * @param endpoint the store as messages show it ({@link S3ClientFactory#describeEndpoint})
     * @param plainHttp whether requests go over http:// (some stores refuse encryption headers there)
     * @param virtualHosted whether the bucket is addressed as a host name ({@code bucket.host}): FERRY_S3_PATH_STYLE
     */
    public S3Failures(
            String bucket,
            String endpoint,
            boolean plainHttp,
            boolean virtualHosted,
            ServerSideEncryption serverSideEncryption,
            ChecksumMode checksumMode) {
        this.bucket = bucket;
        this.endpoint = endpoint;
        this.plainHttp = plainHttp;
        this.virtualHosted = virtualHosted;
        this.serverSideEncryption = serverSideEncryption;
        this.checksumMode = checksumMode;
    }

    /**
     * The failure to throw for what {@code call} ended with: a {@link StepFailure} for every answer of the store and
     * every known network failure, otherwise the SDK's own exception (reported as unexpected, exit 1, a bug).
     */
    public RuntimeException translate(S3Call call, Throwable thrown) {
        Throwable failure = unwrap(thrown);
        if (failure instanceof StepFailure stepFailure) {
            return stepFailure;
        }
        if (failure instanceof S3Exception answer) {
            return answered(call, answer);
        }
        if (failure instanceof ApiCallTimeoutException timeout) {
            return new StepFailure(
                    ExitCode.BAD_CONFIGURATION,
                    "the S3 endpoint " + endpoint + " did not answer " + call + " in time ("
                            + firstLine(timeout.getMessage()) + "): check AWS_ENDPOINT_URL_S3",
                    timeout);
        }
        if (failure instanceof SdkClientException client) {
            Optional<StepFailure> understood = clientSide(call, client);
            if (understood.isPresent()) {
                return understood.get();
            }
        }
        return failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
    }

    /**
     * Whether the store answered that it does not do what was asked (501, 405, or a 400 that is no access or
     * signature problem): how stores without an optional operation or header say so. Such a call is skipped with
     * a warning where Ferry can stay correct without it.
     */
    public static boolean unsupported(Throwable thrown) {
        Throwable failure = unwrap(thrown);
        if (failure instanceof StepFailure stepFailure && stepFailure.getCause() != null) {
            failure = unwrap(stepFailure.getCause());
        }
        if (!(failure instanceof S3Exception answer)) {
            return false;
        }
        int status = answer.statusCode();
        return status == 501 || status == 405 || status == 400 || "NotImplemented".equals(code(answer));
    }

    /** How a store's answer reads in a warning or failure line: {@code NotImplemented HTTP 501}. */
    public static String describeAnswer(Throwable thrown) {
        Throwable failure = unwrap(thrown);
        if (failure instanceof StepFailure stepFailure && stepFailure.getCause() != null) {
            failure = unwrap(stepFailure.getCause());
        }
        if (failure instanceof S3Exception answer) {
            return answerOf(answer);
        }
        return firstLine(failure.getMessage());
    }

    private StepFailure answered(S3Call call, S3Exception answer) {
        String code = code(answer);
        int status = answer.statusCode();
        String said = call + " was answered " + answerOf(answer);
        if (answer instanceof NoSuchBucketException || "NoSuchBucket".equals(code)) {
            return bad(
                    "bucket '" + bucket + "' does not exist at " + endpoint
                            + ": set FERRY_S3_BUCKET to an existing bucket (Ferry never creates buckets)",
                    answer);
        }
        if ("InvalidAccessKeyId".equals(code)) {
            return bad(
                    "the S3 store at " + endpoint
                            + " does not know this access key (InvalidAccessKeyId): check AWS_ACCESS_KEY_ID",
                    answer);
        }
        if ("SignatureDoesNotMatch".equals(code)) {
            return bad(
                    "the S3 store at " + endpoint
                            + " rejected the request signature (SignatureDoesNotMatch): check AWS_SECRET_ACCESS_KEY",
                    answer);
        }
        if (status == 403) {
            return bad(
                    "access to bucket '" + bucket + "' at " + endpoint + " denied (" + call + " was answered "
                            + (code == null ? "HTTP 403" : code + " HTTP 403")
                            + "): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY and the bucket's policy",
                    answer);
        }
        if (status == 412 || "PreconditionFailed".equals(code)) {
            return new StepFailure(
                    ExitCode.VERIFICATION_FAILED,
                    "the object changed at " + endpoint + " while it was being read (" + said
                            + "): another run replaced it; rerun the step",
                    answer);
        }
        if (call.writesData() && checksumMode == ChecksumMode.WHEN_SUPPORTED && CHECKSUM_REFUSALS.contains(code)) {
            return bad(
                    "the S3 store at " + endpoint + " does not take the SDK's newer integrity checksums (" + said
                            + "): set FERRY_S3_CHECKSUM_MODE=when_required (Ferry's own SHA-256 still proves every object)",
                    answer);
        }
        if (call.writesData() && serverSideEncryption.requested() && (status == 400 || status == 501)) {
            return bad(
                    "FERRY_S3_SSE=" + serverSideEncryption.describe() + ": the S3 store at " + endpoint
                            + " refused it (" + said + ")"
                            + (plainHttp
                                    ? ", as stores such as Ceph RGW and OpenShift Data Foundation do for server-side encryption"
                                            + " over plain HTTP: use an https:// AWS_ENDPOINT_URL_S3, or set FERRY_S3_SSE=none"
                                            + " and let the bucket's default encryption apply"
                                    : ": set FERRY_S3_SSE to an encryption the store offers, or none"),
                    answer);
        }
        if (status == 501 || "NotImplemented".equals(code)) {
            return bad(
                    "the S3 store at " + endpoint + " does not implement " + call + " (" + said
                            + "), which Ferry cannot do without: check that AWS_ENDPOINT_URL_S3 is an S3-compatible store",
                    answer);
        }
        if (status >= 500 || status == 429 || "SlowDown".equals(code)) {
            return new StepFailure(
                    ExitCode.UNEXPECTED,
                    "the S3 store at " + endpoint + " failed on every attempt (" + said
                            + "; attempts: FERRY_S3_MAX_ATTEMPTS): rerun once it is healthy, a rerun goes on from"
                            + " what is stored",
                    answer);
        }
        return new StepFailure(
                ExitCode.UNEXPECTED,
                "the S3 store at " + endpoint + " refused a request (" + said + "); nothing Ferry sends should be"
                        + " refused so: report it with the store's name and version",
                answer);
    }

    private Optional<StepFailure> clientSide(S3Call call, SdkClientException client) {
        String message = String.valueOf(client.getMessage());
        if (message.contains("Unable to load credentials")) {
            return Optional.of(bad(
                    "no S3 credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or provide a role)",
                    client));
        }
        if (checksumMode == ChecksumMode.WHEN_SUPPORTED
                && message.toLowerCase(Locale.ROOT).contains("checksum")) {
            return Optional.of(bad(
                    "the S3 store at " + endpoint + " answered " + call + " with a checksum the SDK could not"
                            + " match: set FERRY_S3_CHECKSUM_MODE=when_required (Ferry's own SHA-256 still proves"
                            + " every object)",
                    client));
        }
        Throwable network = networkCause(client);
        if (network == null && droppedConnection(client)) {
            return Optional.of(bad(
                    "the S3 endpoint " + endpoint + " accepted the connection and closed it before answering " + call
                            + ", on every attempt: check AWS_ENDPOINT_URL_S3 and the router or load balancer in front"
                            + " of the store (retries: FERRY_S3_MAX_ATTEMPTS)",
                    client));
        }
        if (network instanceof UnknownHostException && virtualHosted) {
            return Optional.of(bad(
                    "cannot resolve the bucket's host name at " + endpoint + " (UnknownHostException: "
                            + firstLine(network.getMessage()) + "): FERRY_S3_PATH_STYLE=false addresses the bucket"
                            + " as a host name, which in-cluster stores (MinIO, Ceph RGW, ODF) do not serve: set"
                            + " FERRY_S3_PATH_STYLE=true, or check AWS_ENDPOINT_URL_S3",
                    client));
        }
        if (network != null) {
            return Optional.of(bad(
                    "cannot reach the S3 endpoint " + endpoint + " ("
                            + network.getClass().getSimpleName() + ": " + firstLine(network.getMessage())
                            + "): check AWS_ENDPOINT_URL_S3",
                    client));
        }
        return Optional.empty();
    }

    private static StepFailure bad(String message, Throwable cause) {
        return new StepFailure(ExitCode.BAD_CONFIGURATION, message, cause);
    }

    static Throwable unwrap(Throwable thrown) {
        Throwable t = thrown;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String code(S3Exception answer) {
        String code = answer.awsErrorDetails() == null
                ? null
                : answer.awsErrorDetails().errorCode();
        return code == null || code.isBlank() ? null : code;
    }

    /** The store's code, status and (shortened) message; an empty message, as some stores send, is said to be empty. */
    private static String answerOf(S3Exception answer) {
        String code = code(answer);
        String message = answer.awsErrorDetails() == null
                ? null
                : answer.awsErrorDetails().errorMessage();
        String shown = message == null || message.isBlank()
                ? "with an empty message"
                : "\"" + shorten(firstLine(message)) + "\"";
        return (code == null ? "" : code + " ") + "HTTP " + answer.statusCode() + " " + shown;
    }

    /** The connection was there and went away mid-request: a front end with nothing behind it, or a store restarting. */
    private static boolean droppedConnection(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
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

    private static String shorten(String text) {
        return text.length() <= SHOWN_MESSAGE_LENGTH ? text : text.substring(0, SHOWN_MESSAGE_LENGTH) + "…";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
