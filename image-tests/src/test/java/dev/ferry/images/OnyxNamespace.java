package dev.ferry.images;

import dev.ferry.harness.LocalCluster;
import dev.ferry.testing.pg.PostgresServer;
import dev.ferry.testing.s3.S3TestServer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an Onyx namespace with Ferry installed holds for the steps, standing in for the cluster the image tests play:
 * Onyx's own {@code env-configmap} and {@code onyx-postgresql} pointing at one test database, the {@code ferry-s3}
 * Secret of the test's S3 server, and a kubeconfig for the Kubernetes API double; and the params every Ferry Task
 * and Pipeline takes for that bucket.
 */
final class OnyxNamespace {

    static final String NAME = "onyx";

    private OnyxNamespace() {}

    /** The namespace's ConfigMap and Secrets for {@code database} on {@code server} and the bucket of {@code s3}. */
    static LocalCluster of(PostgresServer server, String database, S3TestServer s3, Path kubeconfig) {
        return LocalCluster.onyx(NAME, server, database, s3.stepEnvironment()).kubeconfig(kubeconfig);
    }

    /** The bucket params of every Ferry Task and Pipeline, for the test's S3 server. */
    static Map<String, String> s3Params(S3TestServer s3, String bucket, String prefix) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("s3-bucket", bucket);
        params.put("s3-prefix", prefix);
        params.put("s3-path-style", "true");
        params.put("s3-region", s3.stepEnvironment().get("AWS_REGION"));
        return params;
    }
}
