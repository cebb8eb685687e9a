package dev.ferry.download;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.StepRun;
import dev.ferry.testing.s3.CephRgwServer;
import dev.ferry.testing.s3.S3Store;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The store-answers contract on Ceph's RADOS Gateway (what OpenShift Data Foundation serves), and the rows of the
 * table where RGW itself answers, without a front: it refuses SSE over plain HTTP, stores an object unencrypted
 * when told not to require TLS for SSE, and refuses the SDK's newer checksums.
 */
class CephRgwAnswersIT extends StoreAnswersContract {

    private CephRgwServer ceph;

    @Override
    S3Store backingStore() {
        ceph = CephRgwServer.start();
        return ceph;
    }

    @AfterAll
    void stopCeph() {
        ceph.close();
    }

    /** The step's settings pointed at RGW itself rather than at the front before it. */
    private Map<String, String> straightToRgw(String id) throws Exception {
        Map<String, String> env = settings(exported(id));
        env.put("AWS_ENDPOINT_URL_S3", ceph.endpoint().toString());
        ceph.createBucket(bucket);
        return env;
    }

    /**
     * Not run here: RGW over plain HTTP refuses the SSE header before any answer could lack it (the row above), and
     * RGW that takes it without encrypting is {@link #rgwStoringAnObjectUnencryptedDespiteSseIsRefusedAndTheObjectRemoved}.
     */
    @Override
    void encryptionTheStoreDidNotApplyIsRefusedAndNothingIsLeftUnencrypted() {}

    @Test
    void rgwRefusingEncryptionOverPlainHttpIsExit2NamingFerryS3Sse() throws Exception {
        Map<String, String> env = straightToRgw("m-rgw-sse");
        env.put("FERRY_S3_SSE", "AES256");

        StepRun run = run(upload, env);

        assertOneLineFailure(
                run,
                2,
                "FERRY_S3_SSE=AES256: the S3 store at " + ceph.endpoint() + " refused it",
                "InvalidRequest HTTP 400 with an empty message",
                "over plain HTTP",
                "https:// AWS_ENDPOINT_URL_S3");
    }

    @Test
    void rgwRefusingTheSdksChecksumsIsExit2NamingTheChecksumMode() throws Exception {
        Map<String, String> env = straightToRgw("m-rgw-checksums");
        env.put("FERRY_S3_CHECKSUM_MODE", "when_supported");

        StepRun run = run(upload, env);

        assertOneLineFailure(run, 2, "XAmzContentSHA256Mismatch HTTP 400", "set FERRY_S3_CHECKSUM_MODE=when_required");
    }

    @Test
    void rgwStoringAnObjectUnencryptedDespiteSseIsRefusedAndTheObjectRemoved() throws Exception {
        try (CephRgwServer lax =
                CephRgwServer.start(CephRgwServer.Options.defaults().requireSslForSse(false))) {
            lax.createBucket(bucket);
            Map<String, String> env = settings(exported("m-rgw-sse-ignored"));
            env.putAll(lax.stepEnvironment());
            env.remove("FERRY_S3_PATH_STYLE");
            env.put("FERRY_S3_SSE", "AES256");

            StepRun run = upload.run(env);

            assertOneLineFailure(
                    run, 3, "FERRY_S3_SSE=AES256 was asked for", "no x-amz-server-side-encryption", "Ferry removed it");
            assertThat(lax.client().listObjectsV2(b -> b.bucket(bucket)).contents())
                    .as("no object rests unencrypted")
                    .isEmpty();
            assertThat(lax.client().listMultipartUploads(b -> b.bucket(bucket)).uploads())
                    .as("no upload left open")
                    .isEmpty();
        }
    }
}
