package dev.ferry.follow.abandon;

import dev.ferry.core.StepFailure;
import dev.ferry.kube.GuardJobs;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Starts the follow's slot guard (this program with FERRY_FOLLOW_ABANDON_WHEN_STALE) as a Job of its own in the old
 * cluster, so a slot never outlives its follow however capture's run ends: a TaskRun does not come back after a lost
 * node, but a Job's pod is replaced. One guard per follow: a capture started again finds it there (409) and keeps it.
 * Not owned by any run, so deleting capture's TaskRun leaves the guard to do its job.
 */
final class FollowGuardJob {

    private static final Logger LOG = Logger.getLogger(FollowGuardJob.class);
    static final String COMPONENT = "follow-guard";

    /**
     * Everything the guard needs: where it runs and as whom, the ConfigMap and Secrets it reads the source and the
     * bucket from (by reference: no secret value ever lands in the Job), and its plain settings.
     */
    record Spec(
            String namespace,
            String migrationId,
            String image,
            String serviceAccount,
            String postgresConfigMap,
            String postgresSecret,
            String postgresUserKey,
            String postgresPasswordKey,
            String s3Secret,
            Map<String, String> settings) {}

    private final KubernetesClient client;

    FollowGuardJob(KubernetesClient client) {
        this.client = client;
    }

    /** The guard's Job name: one per follow, a DNS label of at most 63 characters. */
    static String name(String migrationId) {
        return GuardJobs.name("ferry-follow-guard-", migrationId);
    }

    /** Creates the guard, or finds the one an earlier capture of this follow armed; returns its name. */
    String start(Spec spec) {
        Job job = build(spec);
        String name = job.getMetadata().getName();
        if (GuardJobs.createOrKeep(client, job)) {
            LOG.infof("phase=arm job=%s namespace=%s image=%s", name, spec.namespace(), spec.image());
        } else {
            LOG.infof("phase=arm job=%s existing=true reason=armed_by_an_earlier_capture_of_this_follow", name);
        }
        return name;
    }

    Job build(Spec spec) {
        if (spec.image().isBlank()) {
            throw StepFailure.badConfiguration("FERRY_FOLLOW_ABANDON_GUARD_IMAGE is not set: the slot guard runs"
                    + " Ferry's follow-abandon image (the Task's guard-image param)");
        }
        List<EnvVar> env = new ArrayList<>();
        env.add(secretKey("POSTGRES_USER", spec.postgresSecret(), spec.postgresUserKey()));
        env.add(secretKey("POSTGRES_PASSWORD", spec.postgresSecret(), spec.postgresPasswordKey()));
        spec.settings()
                .forEach((name, value) -> env.add(
                        new EnvVarBuilder().withName(name).withValue(value).build()));
        env.add(new EnvVarBuilder()
                .withName("FERRY_WORKDIR")
                .withValue("/tmp/ferry")
                .build());
        env.add(new EnvVarBuilder().withName("HOME").withValue("/tmp").build());
        return new JobBuilder()
                .withNewMetadata()
                .withName(name(spec.migrationId()))
                .withNamespace(spec.namespace())
                .addToLabels("app.kubernetes.io/name", "ferry")
                .addToLabels("app.kubernetes.io/component", COMPONENT)
                .addToAnnotations("ferry.dev/follow", spec.migrationId())
                .endMetadata()
                .withNewSpec()
                // A pod lost with its node is replaced: the guard must outlive what it guards against.
                .withBackoffLimit(6)
                .withTtlSecondsAfterFinished(7 * 86_400)
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app.kubernetes.io/name", "ferry")
                .addToLabels("app.kubernetes.io/component", COMPONENT)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withServiceAccountName(spec.serviceAccount())
                // It talks to PostgreSQL and the bucket only.
                .withAutomountServiceAccountToken(false)
                .withContainers(new ContainerBuilder(GuardJobs.container(spec.image(), env))
                        .withEnvFrom(
                                new EnvFromSourceBuilder()
                                        .withNewConfigMapRef()
                                        .withName(spec.postgresConfigMap())
                                        .endConfigMapRef()
                                        .build(),
                                new EnvFromSourceBuilder()
                                        .withNewSecretRef()
                                        .withName(spec.s3Secret())
                                        .endSecretRef()
                                        .build())
                        .build())
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static EnvVar secretKey(String name, String secret, String key) {
        return new EnvVarBuilder()
                .withName(name)
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withName(secret)
                .withKey(key)
                .endSecretKeyRef()
                .endValueFrom()
                .build();
    }
}
