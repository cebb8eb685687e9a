package dev.ferry.alembicrun;

import dev.ferry.core.StepFailure;
import dev.ferry.kube.PodDiagnosis;
import dev.ferry.kube.Polling;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Runs the migrations as one Kubernetes Job with the Onyx backend image, configured exactly as the
 * api-server is (the Onyx ConfigMap as environment, the database login from its Secret, working
 * directory /app), streams the pod's log into this step's log and waits for the Job to finish.
 */
public final class JobRunner implements MigrationRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);
    static final String CONTAINER = "alembic";

    /** Everything the Job needs besides the commands. */
    public record Spec(
            String name,
            String image,
            String configMap,
            String secret,
            String secretUserKey,
            String secretPasswordKey,
            boolean secretEnvFrom,
            Optional<String> serviceAccount,
            Map<String, String> extraEnv,
            Optional<String> objectStorageSecret) {}

    private final KubernetesClient client;
    private final String namespace;
    private final Spec spec;
    private final Polling polling;
    private volatile boolean objectStorageRequired;

    public JobRunner(KubernetesClient client, String namespace, Spec spec, Polling polling) {
        this.client = client;
        this.namespace = namespace;
        this.spec = spec;
        this.polling = polling;
    }

    @Override
    public Optional<String> objectStorage() {
        return spec.objectStorageSecret()
                .map(secret -> "Secret " + secret)
                .or(() -> spec.serviceAccount().map(account -> "service account " + account));
    }

    /** The object-storage Secret must then exist: a missing one stops the pod before alembic runs, not halfway. */
    @Override
    public void requireObjectStorage() {
        objectStorageRequired = true;
    }

    @Override
    public void run(List<List<String>> commands, Duration timeout) throws InterruptedException {
        client.batch()
                .v1()
                .jobs()
                .inNamespace(namespace)
                .resource(build(commands, timeout))
                .create();
        LOG.infof(
                "phase=migrate mode=job job=%s image=%s command=\"%s\"",
                spec.name(), spec.image(), shellLine(commands));
        OutputLines output = new OutputLines(CONTAINER);
        AtomicBoolean jobFinished = new AtomicBoolean();
        Thread streamer = daemon("alembic-log", () -> stream(output, jobFinished));

        List<String> finished = new ArrayList<>();
        boolean done = polling.until(timeout, () -> {
            Job current = client.batch()
                    .v1()
                    .jobs()
                    .inNamespace(namespace)
                    .withName(spec.name())
                    .get();
            Optional<String> outcome = current == null ? Optional.of("Deleted") : outcome(current);
            outcome.ifPresent(finished::add);
            if (outcome.isEmpty()) {
                refuseAPodThatCannotStart();
            }
            return outcome.isPresent();
        });
        jobFinished.set(true);
        if (!done) {
            streamer.interrupt();
            throw StepFailure.timedOut("Job " + spec.name() + " did not finish within " + timeout.toSeconds()
                    + "s (FERRY_ALEMBIC_TIMEOUT): " + podsState());
        }
        streamer.join(TimeUnit.SECONDS.toMillis(15));
        if (output.count() == 0) {
            fetchWholeLog(output);
        }
        String outcome = finished.get(0);
        LOG.infof("phase=migrate job=%s outcome=%s", spec.name(), outcome);
        if (!outcome.equals("Complete")) {
            throw AlembicFailure.explain(
                    "Job " + spec.name() + " (" + outcome + ")", "image " + spec.image(), output.tail());
        }
    }

    Job build(List<List<String>> commands, Duration timeout) {
        List<EnvVar> env = new ArrayList<>();
        List<EnvFromSource> envFrom = new ArrayList<>();
        envFrom.add(new EnvFromSourceBuilder()
                .withNewConfigMapRef()
                .withName(spec.configMap())
                .endConfigMapRef()
                .build());
        if (spec.secretEnvFrom()) {
            envFrom.add(new EnvFromSourceBuilder()
                    .withNewSecretRef()
                    .withName(spec.secret())
                    .endSecretRef()
                    .build());
        } else {
            env.add(secretEnv("POSTGRES_USER", spec.secretUserKey()));
            env.add(secretEnv("POSTGRES_PASSWORD", spec.secretPasswordKey()));
        }
        spec.objectStorageSecret()
                .ifPresent(secret -> envFrom.add(new EnvFromSourceBuilder()
                        .withNewSecretRef()
                        .withName(secret)
                        // Only a database whose files still move needs it; Onyx installs on IAM have none.
                        .withOptional(!objectStorageRequired)
                        .endSecretRef()
                        .build()));
        spec.extraEnv()
                .forEach((name, value) -> env.add(
                        new EnvVarBuilder().withName(name).withValue(value).build()));
        return new JobBuilder()
                .withNewMetadata()
                .withName(spec.name())
                .addToLabels("app.kubernetes.io/name", "ferry")
                .addToLabels("app.kubernetes.io/component", "alembic-run")
                .endMetadata()
                .withNewSpec()
                .withBackoffLimit(0)
                .withActiveDeadlineSeconds(Math.max(1, timeout.toSeconds()))
                // Kept a day so an operator can still read the pod's log after a failure.
                .withTtlSecondsAfterFinished(86_400)
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app.kubernetes.io/name", "ferry")
                .addToLabels("app.kubernetes.io/component", "alembic-run")
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withServiceAccountName(spec.serviceAccount().orElse(null))
                .addNewContainer()
                .withName(CONTAINER)
                .withImage(spec.image())
                .withWorkingDir("/app")
                .withCommand(command(commands))
                .withEnvFrom(envFrom)
                .withEnv(env)
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** One command runs as is; Onyx's two multi-tenant steps run in one shell so the second only follows a success. */
    static List<String> command(List<List<String>> commands) {
        if (commands.size() == 1) {
            return commands.get(0);
        }
        return List.of("/bin/sh", "-c", shellLine(commands));
    }

    private static String shellLine(List<List<String>> commands) {
        return commands.stream().map(ShellWords::line).collect(Collectors.joining(" && "));
    }

    private EnvVar secretEnv(String name, String key) {
        return new EnvVarBuilder()
                .withName(name)
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withName(spec.secret())
                .withKey(key)
                .endSecretKeyRef()
                .endValueFrom()
                .build();
    }

    static Optional<String> outcome(Job job) {
        if (job.getStatus() == null) {
            return Optional.empty();
        }
        if (job.getStatus().getConditions() != null) {
            for (JobCondition condition : job.getStatus().getConditions()) {
                if ("True".equals(condition.getStatus())
                        && ("Complete".equals(condition.getType()) || "Failed".equals(condition.getType()))) {
                    return Optional.of(condition.getType()
                                    + (condition.getReason() == null ? "" : " " + condition.getReason())
                                            .stripTrailing())
                            .map(s -> s.startsWith("Complete") ? "Complete" : s);
                }
            }
        }
        if (job.getStatus().getSucceeded() != null && job.getStatus().getSucceeded() > 0) {
            return Optional.of("Complete");
        }
        if (job.getStatus().getFailed() != null && job.getStatus().getFailed() > 0) {
            return Optional.of("Failed");
        }
        return Optional.empty();
    }

    /** Follows the pod's log from its start; a pod that never starts leaves the waiting loop to report it. */
    private void stream(OutputLines output, AtomicBoolean jobFinished) {
        try {
            Optional<Pod> pod = Optional.empty();
            while (pod.isEmpty()) {
                boolean last = jobFinished.get();
                pod = jobPods().stream().filter(JobRunner::started).findFirst();
                if (pod.isEmpty()) {
                    if (last) {
                        return;
                    }
                    Thread.sleep(200);
                }
            }
            String name = pod.get().getMetadata().getName();
            LOG.infof("phase=migrate job=%s pod=%s log=following", spec.name(), name);
            try (LogWatch watch = client.pods()
                            .inNamespace(namespace)
                            .withName(name)
                            .inContainer(CONTAINER)
                            .watchLog();
                    BufferedReader reader =
                            new BufferedReader(new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    output.accept(line);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | KubernetesClientException e) {
            LOG.warnf("phase=migrate job=%s log=unavailable reason=\"%s\"", spec.name(), e.getMessage());
        }
    }

    /** When following was not possible, the log of the finished pod is still worth showing. */
    private void fetchWholeLog(OutputLines output) {
        for (Pod pod : jobPods()) {
            try {
                String log = client.pods()
                        .inNamespace(namespace)
                        .withName(pod.getMetadata().getName())
                        .inContainer(CONTAINER)
                        .getLog();
                if (log != null) {
                    log.lines().forEach(output::accept);
                }
            } catch (KubernetesClientException e) {
                LOG.warnf(
                        "phase=migrate job=%s pod=%s log=unavailable reason=\"%s\"",
                        spec.name(), pod.getMetadata().getName(), e.getMessage());
            }
        }
    }

    private static boolean started(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Running".equals(phase) || "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private List<Pod> jobPods() {
        return client.pods()
                .inNamespace(namespace)
                .withLabel("job-name", spec.name())
                .list()
                .getItems();
    }

    /**
     * A ConfigMap, Secret or key the pod's environment names and the namespace lacks keeps the pod waiting in
     * CreateContainerConfigError until the Job's deadline: said at once instead, and the Job removed.
     */
    private void refuseAPodThatCannotStart() {
        for (Pod pod : jobPods()) {
            String state = PodDiagnosis.describe(pod);
            if (state.contains("CreateContainerConfigError")) {
                client.batch()
                        .v1()
                        .jobs()
                        .inNamespace(namespace)
                        .withName(spec.name())
                        .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND)
                        .delete();
                throw StepFailure.badConfiguration("Job " + spec.name() + " cannot start its container, nothing ran: "
                        + state + "; check FERRY_ALEMBIC_CONFIG_MAP (" + spec.configMap() + "), FERRY_ALEMBIC_SECRET ("
                        + spec.secret() + ")"
                        + spec.objectStorageSecret()
                                .map(s -> " and FERRY_ALEMBIC_OBJECT_STORAGE_SECRET (" + s + ")")
                                .orElse("")
                        + " in namespace " + namespace);
            }
        }
    }

    private String podsState() {
        List<Pod> pods = jobPods();
        if (pods.isEmpty()) {
            return "no pod was created (check the image pull secret, quotas and the Job's events)";
        }
        return pods.stream().map(PodDiagnosis::describe).collect(Collectors.joining("; "));
    }

    @Override
    public String describe(List<List<String>> commands) {
        return "Job " + spec.name() + " in " + namespace + " with image " + spec.image() + ", envFrom ConfigMap "
                + spec.configMap()
                + (spec.secretEnvFrom() ? ", envFrom Secret " : ", POSTGRES_USER/POSTGRES_PASSWORD from Secret ")
                + spec.secret()
                + spec.objectStorageSecret()
                        .map(secret -> ", envFrom Secret " + secret)
                        .orElse("")
                + ": " + String.join(" ", command(commands));
    }

    private static Thread daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
