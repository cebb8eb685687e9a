package dev.ferry.freeze;

import dev.ferry.core.StepFailure;
import dev.ferry.kube.GuardJobs;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Starts the unfreeze guard (scale-up's FERRY_SCALE_UP_GUARD_* mode) as a Job of its own, before freeze scales
 * anything down, so the writers come back however the PipelineRun ends: a timed-out or cancelled run skips its
 * {@code finally}, and a lost node takes the finally task's pod with it, but not this Job. It is not owned by the
 * PipelineRun on purpose: deleting the run must make the guard unfreeze, not delete the guard. A second freeze in the
 * same run finds the guard already there and keeps it.
 */
final class UnfreezeGuardJob {

    private static final Logger LOG = Logger.getLogger(UnfreezeGuardJob.class);
    static final String COMPONENT = "unfreeze-guard";

    /** Everything the guard needs, resolved from freeze's settings. */
    record Spec(
            String namespace,
            Kind kind,
            String run,
            String image,
            String keepFrozenIf,
            String serviceAccount,
            Duration guardWait) {}

    /** What the guard waits for, and the scale-up setting that names it. */
    enum Kind {
        PIPELINE_RUN("FERRY_SCALE_UP_GUARD_PIPELINE_RUN"),
        WORKFLOW("FERRY_SCALE_UP_GUARD_WORKFLOW");

        final String setting;

        Kind(String setting) {
            this.setting = setting;
        }
    }

    private final KubernetesClient client;

    UnfreezeGuardJob(KubernetesClient client) {
        this.client = client;
    }

    /** The guard's Job name: one per guarded run, a DNS label of at most 63 characters. */
    static String name(String run) {
        return GuardJobs.name("ferry-unfreeze-guard-", run.substring(run.indexOf('/') + 1));
    }

    /** Creates the guard, or finds the one an earlier freeze of the same run created; returns its name. */
    String start(Spec spec) {
        Job job = build(spec);
        String name = job.getMetadata().getName();
        if (GuardJobs.createOrKeep(client, job)) {
            LOG.infof(
                    "phase=guard job=%s run=%s keep_frozen_if=%s image=%s",
                    name, spec.run(), spec.keepFrozenIf(), spec.image());
        } else {
            LOG.infof("phase=guard job=%s existing=true reason=started_by_an_earlier_freeze_of_this_run", name);
        }
        return name;
    }

    /** The namespace of the guarded run ({@code <namespace>/<name>}), the writers' own when it names none. */
    static String runNamespace(Spec spec) {
        int slash = spec.run().indexOf('/');
        return slash > 0 ? spec.run().substring(0, slash) : spec.namespace();
    }

    Job build(Spec spec) {
        if (spec.image().isBlank()) {
            throw StepFailure.badConfiguration("FERRY_FREEZE_GUARD_IMAGE is not set: the unfreeze guard runs Ferry's"
                    + " scale-up image (the Task's guard-image param)");
        }
        List<EnvVar> env = new ArrayList<>();
        env.add(env("FERRY_NAMESPACE", spec.namespace()));
        env.add(env(spec.kind().setting, spec.run()));
        env.add(env("FERRY_SCALE_UP_GUARD_KEEP_FROZEN_IF", spec.keepFrozenIf()));
        env.add(env("FERRY_SCALE_UP_GUARD_WAIT", spec.guardWait().toSeconds() + "s"));
        env.add(env("FERRY_WORKDIR", "/tmp/ferry"));
        env.add(env("HOME", "/tmp"));
        return new JobBuilder()
                .withNewMetadata()
                .withName(name(spec.run()))
                // Beside the run it guards, where its service account reads that run: in a cutover whose old Onyx
                // lives in another namespace, the writers it scales are elsewhere (FERRY_NAMESPACE), reached through
                // the bindings of deploy/cutover-source-namespace, and no account is needed in that namespace.
                .withNamespace(runNamespace(spec))
                .addToLabels("app.kubernetes.io/name", "ferry")
                .addToLabels("app.kubernetes.io/component", COMPONENT)
                .addToAnnotations("ferry.dev/guards", spec.run())
                .endMetadata()
                .withNewSpec()
                // A pod lost with its node is replaced: the guard must outlive what it guards against.
                .withBackoffLimit(6)
                .withActiveDeadlineSeconds(
                        spec.guardWait().toSeconds() + Duration.ofHours(1).toSeconds())
                .withTtlSecondsAfterFinished(7 * 86_400)
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app.kubernetes.io/name", "ferry")
                .addToLabels("app.kubernetes.io/component", COMPONENT)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withServiceAccountName(spec.serviceAccount())
                .withContainers(GuardJobs.container(spec.image(), env))
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static EnvVar env(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }
}
