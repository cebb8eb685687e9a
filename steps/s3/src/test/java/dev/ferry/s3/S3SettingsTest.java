package dev.ferry.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class S3SettingsTest {

    private static SmallRyeConfig config(Map<String, String> env) {
        return new SmallRyeConfigBuilder()
                .withMapping(S3Settings.class)
                .withMapping(AwsConfig.class)
                .withSources(new EnvConfigSource(env, 300))
                .build();
    }

    @Test
    void defaultsSuitEveryS3CompatibleStore() {
        S3Settings s3 = config(Map.of()).getConfigMapping(S3Settings.class);
        assertThat(s3.checksumMode()).isEqualTo(ChecksumMode.WHEN_REQUIRED);
        assertThat(s3.multipartThreshold().asLongValue()).isEqualTo(16L << 20);
        assertThat(s3.partSize().asLongValue()).isEqualTo(16L << 20);
        assertThat(s3.prefix()).isEqualTo("ferry");
        assertThat(s3.pathStyle()).isEmpty();
        assertThat(config(Map.of()).getConfigMapping(AwsConfig.class).region()).isEqualTo("us-east-1");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://s3.openshift-storage.svc:80",
                "https://rook-ceph-rgw-ocs-storagecluster-cephobjectstore.openshift-storage.svc",
                "http://127.0.0.1:9000"
            })
    void addressesBucketsInThePathOnAnyStoreButAmazonS3(String endpoint) {
        SmallRyeConfig config = config(Map.of("AWS_ENDPOINT_URL_S3", endpoint));
        assertThat(S3ClientFactory.pathStyle(
                        config.getConfigMapping(AwsConfig.class), config.getConfigMapping(S3Settings.class)))
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "https://s3.eu-west-1.amazonaws.com", "https://s3.cn-north-1.amazonaws.com.cn"})
    void addressesBucketsAsHostNamesOnAmazonS3(String endpoint) {
        SmallRyeConfig config = config(endpoint.isEmpty() ? Map.of() : Map.of("AWS_ENDPOINT_URL_S3", endpoint));
        assertThat(S3ClientFactory.pathStyle(
                        config.getConfigMapping(AwsConfig.class), config.getConfigMapping(S3Settings.class)))
                .isFalse();
    }

    @Test
    void pathStyleSetExplicitlyWinsOverTheEndpoint() {
        SmallRyeConfig config =
                config(Map.of("AWS_ENDPOINT_URL_S3", "http://minio.example:9000", "FERRY_S3_PATH_STYLE", "false"));
        assertThat(S3ClientFactory.pathStyle(
                        config.getConfigMapping(AwsConfig.class), config.getConfigMapping(S3Settings.class)))
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"when_supported", "WHEN_SUPPORTED", "when-supported"})
    void checksumModeAcceptsTheSpellingsPeopleUse(String value) {
        S3Settings s3 = config(Map.of("FERRY_S3_CHECKSUM_MODE", value)).getConfigMapping(S3Settings.class);
        assertThat(s3.checksumMode()).isEqualTo(ChecksumMode.WHEN_SUPPORTED);
    }

    @Test
    void readsTheAwsSdkNamesAndSizes() {
        SmallRyeConfig config = config(Map.of(
                "AWS_ENDPOINT_URL_S3",
                "http://127.0.0.1:9000",
                "AWS_REGION",
                "eu-west-1",
                "FERRY_S3_PART_SIZE",
                "8M",
                "FERRY_S3_BUCKET",
                "onyx-migrations"));
        AwsConfig aws = config.getConfigMapping(AwsConfig.class);
        assertThat(aws.endpointUrlS3()).contains("http://127.0.0.1:9000");
        assertThat(aws.region()).isEqualTo("eu-west-1");
        assertThat(S3ClientFactory.describeEndpoint(aws)).isEqualTo("http://127.0.0.1:9000");
        S3Settings s3 = config.getConfigMapping(S3Settings.class);
        assertThat(s3.partSize().asLongValue()).isEqualTo(8L << 20);
        assertThat(s3.bucket()).contains("onyx-migrations");
    }

    @Test
    void rejectsAPartSizeBelowS3sMinimumNamingTheVariable() {
        SmallRyeConfig config = config(Map.of("FERRY_S3_PART_SIZE", "1M"));
        assertThatThrownBy(() -> S3ClientFactory.create(
                        config.getConfigMapping(AwsConfig.class), config.getConfigMapping(S3Settings.class)))
                .isInstanceOfSatisfying(
                        StepFailure.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION))
                .hasMessageContaining("FERRY_S3_PART_SIZE must be at least 5M");
    }

    @Test
    void rejectsAMalformedEndpointWithoutEchoingIt() {
        AwsConfig aws = config(Map.of("AWS_ENDPOINT_URL_S3", "minio:9000/secret-in-url"))
                .getConfigMapping(AwsConfig.class);
        assertThatThrownBy(() -> S3ClientFactory.endpoint(aws))
                .isInstanceOf(StepFailure.class)
                .hasMessageContaining("AWS_ENDPOINT_URL_S3 must be an http:// or https:// URL")
                .hasMessageNotContaining("secret-in-url");
    }

    @Test
    void refusesHalfACredentialPair() {
        AwsConfig aws = config(Map.of("AWS_ACCESS_KEY_ID", "key-only")).getConfigMapping(AwsConfig.class);
        assertThatThrownBy(() -> S3ClientFactory.credentials(aws))
                .isInstanceOf(StepFailure.class)
                .hasMessage(
                        "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both, or neither to use a role");
    }
}
