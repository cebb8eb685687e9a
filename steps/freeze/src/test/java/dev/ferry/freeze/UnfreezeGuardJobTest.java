package dev.ferry.freeze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class UnfreezeGuardJobTest {

    private static final String IMAGE =
            "quay.io/ferry/ferry-scale-up@sha256:1111111111111111111111111111111111111111111111111111111111111111";

    @Test
    void theGuardIsScaleUpsGuardModeForThatRunOutlivingItAndNotOwnedByIt() {
        Job job = new UnfreezeGuardJob(null)
                .build(new UnfreezeGuardJob.Spec(
                        "onyx",
                        UnfreezeGuardJob.Kind.PIPELINE_RUN,
                        "pipelines/ferry-export-r7x2k",
                        IMAGE,
                        "upload:succeeded",
                        "ferry",
                        Duration.ofHours(48)));

        assertThat(job.getMetadata().getName()).isEqualTo("ferry-unfreeze-guard-ferry-export-r7x2k");
        assertThat(job.getMetadata().getNamespace())
                .as("beside the run it reads, whatever namespace the writers are in")
                .isEqualTo("pipelines");
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(e -> {
                    assertThat(e.getName()).isEqualTo("FERRY_NAMESPACE");
                    assertThat(e.getValue()).isEqualTo("onyx");
                });
        assertThat(job.getMetadata().getOwnerReferences())
                .as("deleting the PipelineRun must make the guard unfreeze, not delete it")
                .isNullOrEmpty();
        assertThat(job.getSpec().getBackoffLimit())
                .as("a pod lost with its node is replaced")
                .isPositive();
        assertThat(job.getSpec().getActiveDeadlineSeconds())
                .isGreaterThan(Duration.ofHours(48).toSeconds());
        var pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName()).isEqualTo("ferry");
        var container = pod.getContainers().get(0);
        assertThat(container.getImage()).isEqualTo(IMAGE);
        assertThat(container.getCommand()).containsExactly("/deployments/ferry-step");
        assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
        Map<String, String> env =
                container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertThat(env)
                .containsEntry("FERRY_NAMESPACE", "onyx")
                .containsEntry("FERRY_SCALE_UP_GUARD_PIPELINE_RUN", "pipelines/ferry-export-r7x2k")
                .containsEntry("FERRY_SCALE_UP_GUARD_KEEP_FROZEN_IF", "upload:succeeded")
                .containsEntry("FERRY_SCALE_UP_GUARD_WAIT", "172800s");
    }

    @Test
    void anArgoWorkflowIsGuardedThroughScaleUpsWorkflowSetting() {
        Job job = new UnfreezeGuardJob(null)
                .build(new UnfreezeGuardJob.Spec(
                        "onyx",
                        UnfreezeGuardJob.Kind.WORKFLOW,
                        "argo/ferry-export-x2v9p",
                        IMAGE,
                        "upload:succeeded",
                        "ferry",
                        Duration.ofHours(48)));

        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .extracting(EnvVar::getName)
                .contains("FERRY_SCALE_UP_GUARD_WORKFLOW")
                .doesNotContain("FERRY_SCALE_UP_GUARD_PIPELINE_RUN");
        assertThat(job.getMetadata().getName()).isEqualTo("ferry-unfreeze-guard-ferry-export-x2v9p");
    }

    @Test
    void aLongRunNameStillMakesAValidJobName() {
        String name = UnfreezeGuardJob.name("ns/ferry-export-" + "x".repeat(80));
        assertThat(name).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    }

    @Test
    void withoutAnImageTheGuardIsBadConfigurationNamingTheSetting() {
        assertThatThrownBy(() -> new UnfreezeGuardJob(null)
                        .build(new UnfreezeGuardJob.Spec(
                                "onyx",
                                UnfreezeGuardJob.Kind.WORKFLOW,
                                "onyx/run",
                                "",
                                "upload:succeeded",
                                "ferry",
                                Duration.ofHours(1))))
                .isInstanceOfSatisfying(
                        StepFailure.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION))
                .hasMessageContaining("FERRY_FREEZE_GUARD_IMAGE");
    }
}
