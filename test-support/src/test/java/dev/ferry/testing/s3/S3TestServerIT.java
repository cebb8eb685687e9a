package dev.ferry.testing.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3TestServerIT {

    @Test
    void servesObjectsAndRecordsWritesInOrder() throws Exception {
        try (S3TestServer server = S3TestServer.startTransient()) {
            server.createBucket("ferry-fixture");
            server.client().putObject(b -> b.bucket("ferry-fixture").key("a/one"), RequestBody.fromString("1"));
            server.client().putObject(b -> b.bucket("ferry-fixture").key("a/two"), RequestBody.fromString("22"));

            assertThat(server.client()
                            .getObjectAsBytes(b -> b.bucket("ferry-fixture").key("a/two"))
                            .asUtf8String())
                    .isEqualTo("22");
            assertThat(server.completedWrites()).extracting(CompletedWrite::key).containsExactly("a/one", "a/two");
            assertThat(server.endpoint().getPort()).isPositive();
        }
    }

    @Test
    void rejectsWrongCredentialsAndShortBucketNames() throws Exception {
        try (S3TestServer server = S3TestServer.startTransient();
                S3Client stranger = S3Client.builder()
                        .endpointOverride(server.endpoint())
                        .forcePathStyle(true)
                        .region(Region.of(S3TestServer.REGION))
                        .httpClientBuilder(Apache5HttpClient.builder())
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(server.accessKey(), "not-the-secret")))
                        .build()) {
            assertThatThrownBy(() -> stranger.listBuckets())
                    .isInstanceOf(S3Exception.class)
                    .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(403));
            assertThatThrownBy(() -> server.createBucket("ab"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("3 to 63");
        }
    }

    @Test
    void runsAsItsOwnProcess(@TempDir Path folder) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        S3ServerMain.class.getName(),
                        "--dir",
                        folder.toString(),
                        "--bucket",
                        "rehearsal")
                .redirectErrorStream(true);
        builder.environment()
                .putAll(Map.of("AWS_ACCESS_KEY_ID", "rehearsal", "AWS_SECRET_ACCESS_KEY", "rehearsal-secret"));
        Process process = builder.start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String endpoint = null;
            for (String line; endpoint == null && (line = out.readLine()) != null; ) {
                if (line.startsWith("AWS_ENDPOINT_URL_S3=")) {
                    endpoint = line.substring("AWS_ENDPOINT_URL_S3=".length());
                }
            }
            assertThat(endpoint).as("the server announces its endpoint").startsWith("http://127.0.0.1:");
            try (S3Client client = S3Client.builder()
                    .endpointOverride(java.net.URI.create(endpoint))
                    .forcePathStyle(true)
                    .region(Region.of(S3TestServer.REGION))
                    .httpClientBuilder(Apache5HttpClient.builder())
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create("rehearsal", "rehearsal-secret")))
                    .build()) {
                assertThat(client.listBuckets().buckets())
                        .extracting(b -> b.name())
                        .containsExactly("rehearsal");
            }
        } finally {
            process.destroy();
            process.waitFor();
        }
    }
}
