package dev.ferry.testing.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** How Ceph's RADOS Gateway (Pacific, from Debian) answers where S3 implementations differ, as the steps meet it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CephRgwServerIT {

    private CephRgwServer ceph;

    @BeforeAll
    void start() {
        assertThat(CephRgwServer.available())
                .as("Ceph's programs (hack/install-prerequisites.sh test installs them)")
                .isTrue();
        ceph = CephRgwServer.start();
        ceph.createBucket("rgw");
    }

    @AfterAll
    void stop() {
        if (ceph != null) {
            ceph.close();
        }
    }

    @Test
    void refusesServerSideEncryptionOverPlainHttpWithAnEmptyMessage() {
        S3Client s3 = ceph.client();
        assertThatThrownBy(() -> s3.putObject(
                        b -> b.bucket("rgw").key("sse").serverSideEncryption(ServerSideEncryption.AES256),
                        RequestBody.fromString("secret")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertInvalidRequestWithoutMessage(e));
        assertThatThrownBy(() -> s3.createMultipartUpload(
                        b -> b.bucket("rgw").key("sse-mpu").serverSideEncryption(ServerSideEncryption.AES256)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertInvalidRequestWithoutMessage(e));
    }

    @Test
    void withoutRequiredSslAcceptsServerSideEncryptionButStoresPlainAndSaysNothing() {
        try (CephRgwServer lax =
                CephRgwServer.start(CephRgwServer.Options.defaults().requireSslForSse(false))) {
            lax.createBucket("lax");
            PutObjectResponse put = lax.client()
                    .putObject(
                            b -> b.bucket("lax").key("sse").serverSideEncryption(ServerSideEncryption.AES256),
                            RequestBody.fromString("secret"));
            assertThat(put.sdkHttpResponse().firstMatchingHeader("x-amz-server-side-encryption"))
                    .as("the answer to an SSE PUT says nothing about encryption")
                    .isEmpty();
            String uploadId = lax.client()
                    .createMultipartUpload(
                            b -> b.bucket("lax").key("sse-mpu").serverSideEncryption(ServerSideEncryption.AES256))
                    .uploadId();
            assertThat(uploadId).isNotBlank();

            ResponseBytes<GetObjectResponse> get =
                    lax.client().getObjectAsBytes(b -> b.bucket("lax").key("sse"));
            assertThat(get.asUtf8String()).isEqualTo("secret");
            assertThat(get.response().serverSideEncryption()).isNull();
            // RGW keeps the request's header as a plain attribute; an encrypted object would carry crypt.mode.
            assertThat(lax.objectStat("lax", "sse"))
                    .contains("\"user.rgw.x-amz-server-side-encryption\": \"AES256\"")
                    .doesNotContain("user.rgw.crypt");
        }
    }

    @Test
    void refusesTheSdksDefaultChecksumsAsAContentSha256Mismatch() {
        try (S3Client whenSupported = ceph.clientBuilder()
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_SUPPORTED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_SUPPORTED)
                .build()) {
            assertThatThrownBy(() -> whenSupported.putObject(
                            b -> b.bucket("rgw").key("checksummed"), RequestBody.fromString("hello")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("XAmzContentSHA256Mismatch");
                    });
            String uploadId = whenSupported
                    .createMultipartUpload(b -> b.bucket("rgw").key("checksummed-mpu"))
                    .uploadId();
            assertThatThrownBy(() -> whenSupported.uploadPart(
                            b -> b.bucket("rgw")
                                    .key("checksummed-mpu")
                                    .uploadId(uploadId)
                                    .partNumber(1),
                            RequestBody.fromString("part")))
                    .isInstanceOfSatisfying(
                            S3Exception.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("XAmzContentSHA256Mismatch"));
        }
        // The settings the steps offer for such servers work.
        ceph.client().putObject(b -> b.bucket("rgw").key("checksummed"), RequestBody.fromString("hello"));
    }

    @Test
    void answersConditionalRequests() {
        S3Client s3 = ceph.client();
        s3.putObject(b -> b.bucket("rgw").key("conditional"), RequestBody.fromString("v1"));
        String etag = s3.headObject(b -> b.bucket("rgw").key("conditional")).eTag();

        assertThat(s3.getObjectAsBytes(b -> b.bucket("rgw").key("conditional").ifMatch(etag))
                        .asUtf8String())
                .isEqualTo("v1");
        assertThatThrownBy(() -> s3.getObjectAsBytes(
                        b -> b.bucket("rgw").key("conditional").ifMatch("\"00000000000000000000000000000000\"")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(412);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("PreconditionFailed");
                });
        assertThatThrownBy(() -> s3.getObjectAsBytes(
                        b -> b.bucket("rgw").key("conditional").ifNoneMatch(etag)))
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(304));
        assertThatThrownBy(() -> s3.putObject(
                        b -> b.bucket("rgw").key("conditional").ifNoneMatch("*"), RequestBody.fromString("v2")))
                .as("a create-only PUT of a key that exists")
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
    }

    @Test
    void keepsTheSdksStreamingContentEncodingAsTheObjectsOwn() {
        // The SDK signs a PUT over http in aws-chunked framing; RGW 16 stores "aws-chunked" as the object's
        // Content-Encoding and serves it back on GET, although the bytes it returns are the plain object.
        ceph.client().putObject(b -> b.bucket("rgw").key("streamed"), RequestBody.fromString("plain"));
        ResponseBytes<GetObjectResponse> get =
                ceph.client().getObjectAsBytes(b -> b.bucket("rgw").key("streamed"));
        assertThat(get.asUtf8String()).isEqualTo("plain");
        assertThat(get.response().contentEncoding()).isEqualTo("aws-chunked");
    }

    @Test
    void closeStopsEveryDaemonAndRemovesItsFolder() throws Exception {
        CephRgwServer server = CephRgwServer.start();
        Path folder = server.folder();
        int port = server.endpoint().getPort();
        assertThat(daemonsOf(folder)).hasSize(3);

        server.close();

        assertThat(daemonsOf(folder)).isEmpty();
        assertThat(folder).doesNotExist();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(IOException.class);
        server.close(); // a second close changes nothing
    }

    private static List<ProcessHandle> daemonsOf(Path folder) {
        String conf = folder.resolve("ceph.conf").toString();
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(p ->
                        p.info().arguments().map(List::of).orElse(List.of()).contains(conf))
                .toList();
    }

    private static void assertInvalidRequestWithoutMessage(S3Exception e) {
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest");
        assertThat(e.awsErrorDetails().errorMessage()).isEmpty();
    }
}
