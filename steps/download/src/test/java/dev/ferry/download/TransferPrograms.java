package dev.ferry.download;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.StepProgram;
import dev.ferry.testing.StepRun;
import dev.ferry.testing.s3.S3Store;
import dev.ferry.testing.s3.S3TestServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built upload and download programs, run as processes one after the other as a pipeline runs them, against
 * one real S3 server (S3Proxy unless a subclass starts another) with a fresh bucket per test, the source and the
 * target workspace apart: what the download tests share.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TransferPrograms {

    static final long MIB = 1024 * 1024;
    static final String PREFIX = "onyx/prod";

    S3Store server;
    StepProgram upload;
    StepProgram download;
    String bucket;

    @TempDir
    Path source;

    @TempDir
    Path target;

    @BeforeAll
    void startServer() throws Exception {
        server = startStore();
        upload = StepProgram.at(
                Path.of(System.getProperty("ferry.upload.jar", "../upload/target/quarkus-app/quarkus-run.jar")));
        download =
                StepProgram.at(Path.of(System.getProperty("ferry.download.jar", "target/quarkus-app/quarkus-run.jar")));
    }

    /** The store the programs run against, started once for the class. */
    S3Store startStore() throws Exception {
        return S3TestServer.startTransient();
    }

    @AfterAll
    void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void freshBucket() {
        bucket = "ferry-" + UUID.randomUUID().toString().substring(0, 8);
        server.createBucket(bucket);
    }

    /** The step's settings for {@code workdir}: the server, the bucket, 5 MiB parts so that small files have several. */
    Map<String, String> settings(Path workdir) {
        Map<String, String> env = new HashMap<>(server.stepEnvironment());
        env.put("FERRY_WORKDIR", workdir.toString());
        env.put("FERRY_RESULTS_DIR", workdir.resolve("results").toString());
        env.put("FERRY_S3_BUCKET", bucket);
        env.put("FERRY_S3_PREFIX", PREFIX);
        env.put("FERRY_S3_MULTIPART_THRESHOLD", "5M");
        env.put("FERRY_S3_PART_SIZE", "5M");
        return env;
    }

    StepRun run(StepProgram program, Map<String, String> env) throws Exception {
        StepRun run = program.run(env);
        assertThat(run.output()).as("no secret in the output").doesNotContain(server.secretKey());
        return run;
    }
}
