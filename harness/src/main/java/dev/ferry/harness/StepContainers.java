package dev.ferry.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a Task's step in its image with podman, the way the kubelet would run the pod's container: the step's
 * {@code command} and {@code args} as entry point and arguments, its env, its {@code securityContext} (a random
 * UID in group 0 as OpenShift's restricted SCC assigns, no capabilities, no privilege escalation, a read-only root
 * with nothing writable but what is mounted), its CPU and memory limits, and its volume mounts, workspaces and
 * results folder bound at the paths the Task names. Secret values reach the container by name only ({@code -e
 * NAME}, the value in podman's own environment), never on a command line. The Ferry image of a step is the
 * locally built {@code localhost/ferry-<step>:local} (hack/build-images.sh --local).
 */
public final class StepContainers {

    /** Where a step finds the kubeconfig of the test's API server, standing in for the service account. */
    static final String KUBECONFIG_PATH = "/tekton/ferry/kubeconfig";

    private static final Pattern FERRY_IMAGE = Pattern.compile("quay\\.io/ferry/ferry-([a-z-]+)(?:[@:].*)?");
    private static final Pattern QUANTITY = Pattern.compile("([0-9.]+)([a-zA-Z]*)");
    private static final AtomicInteger CONTAINERS = new AtomicInteger();

    private final String tag;
    private final long uid;
    private final Path containersConf;

    /**
     * @param tag the tag of the local images, {@code local} for hack/build-images.sh --local
     * @param containersConf the podman settings (images/containers.conf), or null for podman's own
     */
    public StepContainers(String tag, Path containersConf) {
        this.tag = tag;
        this.containersConf = containersConf;
        // OpenShift gives every pod of a namespace the first UID of the namespace's range, e.g. 1000770000.
        this.uid = 1_000_000_000L + new SecureRandom().nextInt(1_000) * 10_000L;
    }

    /** The UID every container of this runner gets (group 0). */
    public long uid() {
        return uid;
    }

    /** The local image that stands for a Task step's {@code image}. */
    String localImage(String image) {
        Matcher ferry = FERRY_IMAGE.matcher(image);
        if (!ferry.matches()) {
            throw new StepPrograms.UnsupportedStep(
                    "image " + image + " is not a Ferry step image; the harness runs only those");
        }
        return "localhost/ferry-" + ferry.group(1) + ":" + tag;
    }

    /** A name for the next container: tests remove it by name, since a killed podman client leaves it running. */
    String nextName() {
        return "ferry-step-" + ProcessHandle.current().pid() + "-" + CONTAINERS.incrementAndGet();
    }

    /** The podman settings file in the environment of every podman command, if one was given. */
    Map<String, String> podmanEnvironment() {
        return containersConf == null ? Map.of() : Map.of("CONTAINERS_CONF", containersConf.toString());
    }

    /**
     * The {@code podman run} command line of one step. {@code env} holds every variable with its value; those named
     * in {@code secretNames} appear by name only, and the caller puts their values into podman's environment.
     *
     * @param mounts container path to host folder or file: the results folder, emptyDirs, workspaces, kubeconfig
     */
    List<String> command(
            String name,
            String image,
            JsonNode step,
            List<String> command,
            List<String> args,
            Map<String, String> env,
            Set<String> secretNames,
            Map<String, Path> mounts) {
        List<String> argv = new ArrayList<>(List.of("podman", "run", "--rm", "--name", name, "--pull", "never"));
        // The test's servers (PostgreSQL, S3, the API double) listen on 127.0.0.1.
        argv.addAll(List.of("--network", "host"));
        JsonNode security = step.path("securityContext");
        if (security.path("runAsUser").canConvertToLong()) {
            argv.addAll(List.of("--user", security.path("runAsUser").asText() + ":0"));
        } else {
            argv.addAll(List.of("--user", uid + ":0"));
        }
        if (security.path("readOnlyRootFilesystem").asBoolean(false)) {
            // Nothing writable but the mounts: podman's own tmpfs on /tmp, /var/tmp and /run would hide a missing one.
            argv.addAll(List.of("--read-only", "--read-only-tmpfs=false"));
        }
        if (!security.path("allowPrivilegeEscalation").asBoolean(true)) {
            argv.addAll(List.of("--security-opt", "no-new-privileges"));
        }
        for (JsonNode dropped : security.path("capabilities").path("drop")) {
            argv.addAll(List.of("--cap-drop", dropped.asText().toLowerCase(Locale.ROOT)));
        }
        JsonNode limits = step.path("computeResources").path("limits");
        if (limits.hasNonNull("memory")) {
            argv.addAll(List.of("--memory", bytes(limits.path("memory").asText())));
        }
        if (limits.hasNonNull("cpu")) {
            argv.addAll(List.of("--cpus", cpus(limits.path("cpu").asText())));
        }
        if (step.hasNonNull("workingDir")) {
            argv.addAll(List.of("--workdir", step.path("workingDir").asText()));
        }
        mounts.forEach((containerPath, hostPath) -> {
            String options = containerPath.equals(KUBECONFIG_PATH) ? ":ro" : "";
            argv.addAll(List.of("--volume", hostPath + ":" + containerPath + options));
        });
        env.forEach((variable, value) ->
                argv.addAll(List.of("--env", secretNames.contains(variable) ? variable : variable + "=" + value)));
        argv.add("--entrypoint=" + json(command));
        argv.add(image);
        argv.addAll(args);
        return argv;
    }

    /**
     * Makes a host folder writable by the container's UID as the kubelet makes a pod's volumes: an emptyDir, a
     * PersistentVolumeClaim with the pod's fsGroup. Only the folder itself; what the steps write in it is theirs.
     */
    void shareWithContainer(Path folder) {
        try {
            Files.setAttribute(folder, "unix:uid", (int) uid);
            Files.setAttribute(folder, "unix:gid", 0);
            Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwx---"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hand " + folder + " to UID " + uid, e);
        }
    }

    /** Removes a container the run left behind (killed at its deadline); nothing when it ended by itself. */
    void remove(String name) {
        List<String> rm = List.of("podman", "rm", "--force", "--ignore", "--time", "0", name);
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(rm).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().putAll(podmanEnvironment());
            Process process = builder.start();
            if (!process.waitFor(Duration.ofMinutes(1).toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove container " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A Kubernetes quantity of memory ({@code 2Gi}, {@code 512Mi}, {@code 1G}) in bytes, as podman takes it. */
    static String bytes(String quantity) {
        Matcher m = QUANTITY.matcher(quantity.strip());
        if (!m.matches()) {
            throw new StepPrograms.UnsupportedStep("memory limit " + quantity + " is not a quantity");
        }
        long factor = switch (m.group(2)) {
            case "" -> 1L;
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            case "Gi" -> 1L << 30;
            case "k" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            default -> throw new StepPrograms.UnsupportedStep("memory limit " + quantity + " has an unknown unit");
        };
        return new BigDecimal(m.group(1))
                .multiply(BigDecimal.valueOf(factor))
                .setScale(0, RoundingMode.CEILING)
                .toPlainString();
    }

    /** A Kubernetes CPU quantity ({@code 2}, {@code 500m}) as podman's --cpus, at most this machine's CPUs. */
    static String cpus(String quantity) {
        String q = quantity.strip();
        BigDecimal cpus =
                q.endsWith("m") ? new BigDecimal(q.substring(0, q.length() - 1)).movePointLeft(3) : new BigDecimal(q);
        // podman refuses more than the machine has; a node with fewer CPUs than the limit gives the pod no more either.
        BigDecimal here = BigDecimal.valueOf(Runtime.getRuntime().availableProcessors());
        return cpus.min(here).stripTrailingZeros().toPlainString();
    }

    private static String json(List<String> strings) {
        StringBuilder out = new StringBuilder("[");
        for (String s : strings) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append('"')
                    .append(s.replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        return out.append(']').toString();
    }
}
