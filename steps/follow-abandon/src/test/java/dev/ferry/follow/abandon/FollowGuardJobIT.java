package dev.ferry.follow.abandon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import dev.ferry.core.testing.InProcessStep;
import dev.ferry.kube.Cluster;
import dev.ferry.kube.KubeConfig;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The slot guard's Job as the fabric8 CRUD API server stores it: image, settings, and Secrets by reference only. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class FollowGuardJobIT {

    private static final String IMAGE =
            "quay.io/ferry/ferry-follow-abandon@sha256:1111111111111111111111111111111111111111111111111111111111111111";

    @Inject
    KubernetesClient client;

    @BeforeEach
    void noJobs() {
        client.batch().v1().jobs().inNamespace("onyx").delete();
    }

    @Test
    void theGuardRunsTheAbandonImageInGuardModeWithTheFollowsSettingsAndSecretsByReference() {
        String name = new FollowGuardJob(client).start(spec("onyx-follow-1", IMAGE));

        Job job = client.batch().v1().jobs().inNamespace("onyx").withName(name).get();
        assertThat(job).as("the Job is stored").isNotNull();
        assertThat(name).isEqualTo("ferry-follow-guard-onyx-follow-1");
        assertThat(job.getMetadata().getOwnerReferences())
                .as("deleting capture's TaskRun must not delete the guard")
                .isNullOrEmpty();
        assertThat(job.getSpec().getBackoffLimit())
                .as("a pod lost with its node is replaced")
                .isPositive();
        var pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName()).isEqualTo("ferry");
        assertThat(pod.getAutomountServiceAccountToken())
                .as("it talks to PostgreSQL and the bucket only")
                .isFalse();
        var container = pod.getContainers().get(0);
        assertThat(container.getImage()).isEqualTo(IMAGE);
        assertThat(container.getCommand()).containsExactly("/deployments/ferry-step");
        assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getEnvFrom())
                .extracting(FollowGuardJobIT::referenced)
                .containsExactly("configmap/env-configmap", "secret/ferry-s3");
        Map<String, EnvVar> env = container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        assertThat(env.get("POSTGRES_PASSWORD").getValue())
                .as("never a secret's value")
                .isNull();
        assertThat(env.get("POSTGRES_PASSWORD").getValueFrom().getSecretKeyRef().getName())
                .isEqualTo("onyx-postgresql");
        assertThat(env.get("POSTGRES_PASSWORD").getValueFrom().getSecretKeyRef().getKey())
                .isEqualTo("postgres_password");
        assertThat(env.get("POSTGRES_USER").getValueFrom().getSecretKeyRef().getKey())
                .isEqualTo("postgres_user");
        assertThat(env.get("FERRY_FOLLOW_ABANDON_WHEN_STALE").getValue()).isEqualTo("1800s");
        assertThat(env.get("FERRY_MIGRATION_ID").getValue()).isEqualTo("onyx-follow-1");
        assertThat(env.get("FERRY_S3_BUCKET").getValue()).isEqualTo("onyx-ferry");
        assertThat(env).doesNotContainKeys("AWS_SECRET_ACCESS_KEY", "FERRY_FOLLOW_ABANDON_ARM_GUARD");
    }

    @Test
    void aCaptureStartedAgainKeepsTheGuardItFinds() {
        String first = new FollowGuardJob(client).start(spec("onyx-follow-2", IMAGE));
        String second = new FollowGuardJob(client).start(spec("onyx-follow-2", IMAGE));

        assertThat(second).isEqualTo(first);
        assertThat(client.batch().v1().jobs().inNamespace("onyx").list().getItems())
                .extracting(j -> j.getMetadata().getName())
                .containsExactly(first);
    }

    @Test
    void armingThroughTheStepPassesItsOwnPlainSettingsOnAndEnds(@TempDir Path work) {
        Map<String, String> env = armSettings(work);
        env.put("FERRY_FOLLOW_ABANDON_GUARD_IMAGE", IMAGE);

        InProcessStep.Outcome outcome = InProcessStep.run(armingCommand(env));

        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.lastLine())
                .contains("step=follow-abandon outcome=done")
                .contains("guard_job=ferry-follow-guard-onyx-follow-4");
        Job job = client.batch()
                .v1()
                .jobs()
                .inNamespace("onyx")
                .withName("ferry-follow-guard-onyx-follow-4")
                .get();
        Map<String, String> plain = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertThat(plain)
                .containsEntry("FERRY_FOLLOW_ABANDON_WHEN_STALE", "1800s")
                .containsEntry("FERRY_MIGRATION_ID", "onyx-follow-4")
                .containsEntry("FERRY_S3_BUCKET", "onyx-ferry")
                .containsEntry("FERRY_S3_PREFIX", "ferry")
                .containsEntry("AWS_REGION", "eu-west-1")
                .containsEntry("FERRY_S3_CHECKSUM_MODE", "when_required")
                .doesNotContainKey("FERRY_FOLLOW_ABANDON_ARM_GUARD");
    }

    @Test
    void armingWithoutAStaleTimeArmsNothingAndSaysSo(@TempDir Path work) {
        Map<String, String> env = armSettings(work);
        env.remove("FERRY_FOLLOW_ABANDON_WHEN_STALE");

        InProcessStep.Outcome outcome = InProcessStep.run(armingCommand(env));

        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output()).contains("phase=arm job=none reason=\"FERRY_FOLLOW_ABANDON_WHEN_STALE is not set");
        assertThat(outcome.lastLine()).contains("guard_job=none");
        assertThat(client.batch().v1().jobs().inNamespace("onyx").list().getItems())
                .isEmpty();
    }

    Map<String, String> armSettings(Path work) {
        Map<String, String> env = new HashMap<>();
        env.put("FERRY_WORKDIR", work.toString());
        env.put("FERRY_NAMESPACE", "onyx");
        env.put("FERRY_MIGRATION_ID", "onyx-follow-4");
        env.put("FERRY_FOLLOW_ABANDON_ARM_GUARD", "true");
        env.put("FERRY_FOLLOW_ABANDON_WHEN_STALE", "30m");
        env.put("FERRY_S3_BUCKET", "onyx-ferry");
        env.put("AWS_REGION", "eu-west-1");
        return env;
    }

    FollowAbandonCommand armingCommand(Map<String, String> env) {
        FollowAbandonCommand command = InProcessStep.configured(new FollowAbandonCommand(), env);
        command.cluster = Cluster.of(InProcessStep.config(KubeConfig.class, env), client);
        return command;
    }

    @Test
    void aLongMigrationIdStillMakesAValidJobName() {
        assertThat(FollowGuardJob.name("Onyx_" + "x".repeat(80)))
                .hasSizeLessThanOrEqualTo(63)
                .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    }

    @Test
    void withoutAnImageArmingIsBadConfigurationNamingTheSetting() {
        assertThatThrownBy(() -> new FollowGuardJob(client).start(spec("onyx-follow-3", "")))
                .isInstanceOfSatisfying(
                        StepFailure.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION))
                .hasMessageStartingWith("FERRY_FOLLOW_ABANDON_GUARD_IMAGE is not set");
        assertThat(client.batch().v1().jobs().inNamespace("onyx").list().getItems())
                .isEmpty();
    }

    static FollowGuardJob.Spec spec(String migrationId, String image) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("FERRY_MIGRATION_ID", migrationId);
        settings.put("FERRY_FOLLOW_ABANDON_WHEN_STALE", "1800s");
        settings.put("FERRY_S3_BUCKET", "onyx-ferry");
        return new FollowGuardJob.Spec(
                "onyx",
                migrationId,
                image,
                "ferry",
                "env-configmap",
                "onyx-postgresql",
                "postgres_user",
                "postgres_password",
                "ferry-s3",
                settings);
    }

    static String referenced(EnvFromSource source) {
        return source.getConfigMapRef() != null
                ? "configmap/" + source.getConfigMapRef().getName()
                : "secret/" + source.getSecretRef().getName();
    }
}
