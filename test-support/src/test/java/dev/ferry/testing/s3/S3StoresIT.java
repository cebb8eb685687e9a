package dev.ferry.testing.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The same S3 calls against both S3 implementations the tests have (S3Proxy and Ceph's RADOS Gateway), directly
 * and through an {@link S3Front} that forwards them or answers one operation itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3StoresIT {

    private static final int PART = 5 * 1024 * 1024;

    private S3TestServer s3proxy;
    private CephRgwServer ceph;

    @BeforeAll
    void startStores() throws Exception {
        s3proxy = S3TestServer.startTransient();
        ceph = CephRgwServer.start();
    }

    @AfterAll
    void stopStores() {
        if (ceph != null) {
            ceph.close();
        }
        if (s3proxy != null) {
            s3proxy.close();
        }
    }

    Stream<Arguments> stores() {
        return Stream.of(s3proxy, ceph).map(store -> Arguments.of(Named.of(store.name(), store)));
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false) // the stores live as long as the class
    @MethodSource("stores")
    void servesObjectsMultipartUploadsAndRanges(S3Store store) {
        store.createBucket("direct");
        S3Client s3 = store.client();
        s3.putObject(b -> b.bucket("direct").key("small"), RequestBody.fromString("hello"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("direct").key("small")).asUtf8String())
                .isEqualTo("hello");

        byte[] data = randomBytes(2 * PART + 7);
        String uploadId = s3.createMultipartUpload(b -> b.bucket("direct").key("dump/big"))
                .uploadId();
        assertThat(s3.listMultipartUploads(b -> b.bucket("direct")).uploads())
                .extracting(MultipartUpload::key, MultipartUpload::uploadId)
                .containsExactly(tuple("dump/big", uploadId));
        List<CompletedPart> parts = new ArrayList<>();
        for (int number = 1; number <= 2; number++) {
            byte[] part = Arrays.copyOfRange(data, (number - 1) * PART, number == 2 ? data.length : PART);
            int partNumber = number;
            String etag = s3.uploadPart(
                            b -> b.bucket("direct")
                                    .key("dump/big")
                                    .uploadId(uploadId)
                                    .partNumber(partNumber),
                            RequestBody.fromBytes(part))
                    .eTag();
            parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
        }
        s3.completeMultipartUpload(
                b -> b.bucket("direct").key("dump/big").uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
        assertThat(s3.listMultipartUploads(b -> b.bucket("direct")).uploads()).isEmpty();

        assertThat(s3.headObject(b -> b.bucket("direct").key("dump/big")).contentLength())
                .isEqualTo(data.length);
        ResponseBytes<GetObjectResponse> range = s3.getObjectAsBytes(
                b -> b.bucket("direct").key("dump/big").range("bytes=" + (PART - 3) + "-" + (PART + 4)));
        assertThat(range.asByteArray()).isEqualTo(Arrays.copyOfRange(data, PART - 3, PART + 5));
        assertThat(range.response().contentRange())
                .isEqualTo("bytes " + (PART - 3) + "-" + (PART + 4) + "/" + data.length);
    }

    /**
     * ListObjectsV2's {@code start-after}, which follow-apply and the drain poll with: only the keys after it, across
     * pages. Ferry filters the keys again, so a store that ignored it would cost a longer listing, never a wrong one.
     */
    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    void listsOnlyTheKeysAfterStartAfterAcrossPages(S3Store store) {
        store.createBucket("listed");
        S3Client s3 = store.client();
        for (int i = 0; i < 7; i++) {
            String key = "follow/segments/" + String.format("%08X", i * 16);
            s3.putObject(b -> b.bucket("listed").key(key), RequestBody.fromString("segment " + key));
        }
        s3.putObject(b -> b.bucket("listed").key("follow/heartbeat.json"), RequestBody.fromString("{}"));

        List<String> after = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket("listed")
                        .prefix("follow/segments/")
                        .startAfter("follow/segments/00000020")
                        .maxKeys(2))
                .contents()
                .forEach(object -> after.add(object.key()));

        assertThat(after)
                .containsExactly(
                        "follow/segments/00000030",
                        "follow/segments/00000040",
                        "follow/segments/00000050",
                        "follow/segments/00000060");
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false) // the stores live as long as the class
    @MethodSource("stores")
    void frontForwardsWhatItIsNotToldToAnswer(S3Store store) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try (S3Front front = S3Front.before(store)) {
            front.createBucket("forwarded");
            S3Client s3 = front.client();
            byte[] data = randomBytes(2 * PART + 11);
            String uploadId = s3.createMultipartUpload(
                            b -> b.bucket("forwarded").key("big"))
                    .uploadId();
            // Two parts and six small objects at once, as the steps' transfers run: eight connections to the front.
            List<Future<CompletedPart>> parts = new ArrayList<>();
            for (int number = 1; number <= 2; number++) {
                int partNumber = number;
                byte[] part = Arrays.copyOfRange(data, (number - 1) * PART, number == 2 ? data.length : PART);
                parts.add(threads.submit(() -> CompletedPart.builder()
                        .partNumber(partNumber)
                        .eTag(s3.uploadPart(
                                        b -> b.bucket("forwarded")
                                                .key("big")
                                                .uploadId(uploadId)
                                                .partNumber(partNumber),
                                        RequestBody.fromBytes(part))
                                .eTag())
                        .build()));
            }
            List<Future<?>> smalls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String key = "small/" + i;
                smalls.add(threads.submit(
                        () -> s3.putObject(b -> b.bucket("forwarded").key(key), RequestBody.fromString(key))));
            }
            List<CompletedPart> completed = new ArrayList<>();
            for (Future<CompletedPart> part : parts) {
                completed.add(part.get());
            }
            for (Future<?> small : smalls) {
                small.get();
            }
            assertThat(s3.listParts(b -> b.bucket("forwarded").key("big").uploadId(uploadId))
                            .parts())
                    .hasSize(2);
            s3.completeMultipartUpload(
                    b -> b.bucket("forwarded").key("big").uploadId(uploadId).multipartUpload(m -> m.parts(completed)));

            assertThat(store.client()
                            .getObjectAsBytes(b -> b.bucket("forwarded").key("big"))
                            .asByteArray())
                    .as("what went through the front is what the store holds")
                    .isEqualTo(data);
            assertThat(s3.listObjectsV2(b -> b.bucket("forwarded").prefix("small/"))
                            .contents())
                    .hasSize(6);
            String etag =
                    s3.headObject(b -> b.bucket("forwarded").key("small/0")).eTag();
            assertThat(s3.getObjectAsBytes(
                                    b -> b.bucket("forwarded").key("small/0").ifMatch(etag))
                            .asUtf8String())
                    .isEqualTo("small/0");
            assertThat(s3.getObjectAsBytes(b -> b.bucket("forwarded").key("big").range("bytes=0-9"))
                            .asByteArray())
                    .isEqualTo(Arrays.copyOf(data, 10));
            boolean tags = store != s3proxy; // S3Proxy answers tagging with 501 NotImplemented (and logs an ERROR)
            if (tags) {
                Tag tag = Tag.builder().key("ferry").value("yes").build();
                s3.putObjectTagging(b -> b.bucket("forwarded").key("small/1").tagging(t -> t.tagSet(tag)));
                assertThat(s3.getObjectTagging(b -> b.bucket("forwarded").key("small/1"))
                                .tagSet())
                        .containsExactly(tag);
            }
            s3.deleteObjects(b -> b.bucket("forwarded")
                    .delete(d -> d.objects(
                            ObjectIdentifier.builder().key("small/2").build(),
                            ObjectIdentifier.builder().key("small/3").build())));
            s3.deleteObject(b -> b.bucket("forwarded").key("small/4"));

            assertThat(front.seen(S3Operation.CREATE_MULTIPART_UPLOAD)).isEqualTo(1);
            assertThat(front.seen(S3Operation.UPLOAD_PART)).isEqualTo(2);
            assertThat(front.seen(S3Operation.LIST_PARTS)).isEqualTo(1);
            assertThat(front.seen(S3Operation.COMPLETE_MULTIPART_UPLOAD)).isEqualTo(1);
            assertThat(front.seen(S3Operation.PUT_OBJECT)).isEqualTo(6);
            assertThat(front.seen(S3Operation.LIST_OBJECTS_V2)).isEqualTo(1);
            assertThat(front.seen(S3Operation.HEAD_OBJECT)).isEqualTo(1);
            assertThat(front.seen(S3Operation.CONDITIONAL_GET)).isEqualTo(1);
            assertThat(front.seen(S3Operation.GET_OBJECT)).isEqualTo(1);
            assertThat(front.seen(S3Operation.PUT_OBJECT_TAGGING)).isEqualTo(tags ? 1 : 0);
            assertThat(front.seen(S3Operation.GET_OBJECT_TAGGING)).isEqualTo(tags ? 1 : 0);
            assertThat(front.seen(S3Operation.DELETE_OBJECTS)).isEqualTo(1);
            assertThat(front.seen(S3Operation.DELETE_OBJECT)).isEqualTo(1);
            assertThat(front.seen(S3Operation.OTHER)).isZero();
        } finally {
            threads.shutdownNow();
        }
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false) // the stores live as long as the class
    @MethodSource("stores")
    void frontAnswersTheOperationItIsToldToFault(S3Store store) {
        try (S3Front front = S3Front.before(store)) {
            front.createBucket("faulted");
            S3Client s3 = front.client();

            front.answer(S3Operation.LIST_MULTIPART_UPLOADS, 501, "NotImplemented", "not here");
            assertThatThrownBy(() -> s3.listMultipartUploads(b -> b.bucket("faulted")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(501);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NotImplemented");
                    });
            assertThat(front.seen(S3Operation.LIST_MULTIPART_UPLOADS)).isEqualTo(1);

            // The body is read before the answer, so the client reads a 400 rather than a reset connection.
            front.answer(S3Operation.PUT_OBJECT, 400, "InvalidRequest", "");
            assertThatThrownBy(() -> s3.putObject(
                            b -> b.bucket("faulted").key("refused"), RequestBody.fromBytes(randomBytes(PART))))
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest");
                        assertThat(e.awsErrorDetails().errorMessage()).isEmpty();
                    });
            front.answer(S3Operation.HEAD_OBJECT, 400, null, null);
            assertThatThrownBy(() -> s3.headObject(b -> b.bucket("faulted").key("refused")))
                    .isInstanceOfSatisfying(
                            S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(400));
            assertThat(store.client().listObjectsV2(b -> b.bucket("faulted")).contents())
                    .as("the store never saw the faulted PUT")
                    .isEmpty();

            front.reset();
            s3.putObject(b -> b.bucket("faulted").key("accepted"), RequestBody.fromString("ok"));
            assertThat(s3.headObject(b -> b.bucket("faulted").key("accepted")).contentLength())
                    .isEqualTo(2);
            assertThat(s3.listMultipartUploads(b -> b.bucket("faulted")).uploads())
                    .isEmpty();
            assertThat(front.seen(S3Operation.PUT_OBJECT)).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false) // the stores live as long as the class
    @MethodSource("stores")
    void frontDropsAResponseHeaderItIsToldToStrip(S3Store store) {
        try (S3Front front = S3Front.before(store)) {
            front.createBucket("stripped");
            front.stripResponseHeader(S3Operation.PUT_OBJECT, "ETag");
            front.stripResponseHeader(S3Operation.PUT_OBJECT, "x-amz-server-side-encryption");
            front.stripResponseHeader(S3Operation.CREATE_MULTIPART_UPLOAD, "x-amz-server-side-encryption");

            assertThat(front.client()
                            .putObject(b -> b.bucket("stripped").key("a"), RequestBody.fromString("a"))
                            .eTag())
                    .as("PutObject's ETag through the front")
                    .isNull();
            assertThat(store.client()
                            .putObject(b -> b.bucket("stripped").key("b"), RequestBody.fromString("b"))
                            .eTag())
                    .as("PutObject's ETag from the store itself")
                    .isNotNull();
            assertThat(front.client()
                            .putObject(b -> b.bucket("stripped").key("c"), RequestBody.fromString("c"))
                            .sdkHttpResponse()
                            .firstMatchingHeader("x-amz-server-side-encryption"))
                    .isEmpty();
            assertThat(front.client()
                            .headObject(b -> b.bucket("stripped").key("a"))
                            .eTag())
                    .as("only PutObject's answers lose it")
                    .isNotNull();
        }
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }
}
