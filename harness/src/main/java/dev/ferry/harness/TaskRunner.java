package dev.ferry.harness;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.testing.ProgramRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs one TaskRun locally: the Task's params (given values over defaults), its workspaces bound to
 * folders, a results folder of its own standing in for {@code /tekton/results}, then each step as a
 * local program with exactly the env the step declares — {@code value}s substituted,
 * {@code valueFrom}/{@code envFrom} read from the {@link LocalCluster}, {@code env} over
 * {@code envFrom} as in Kubernetes — plus KUBECONFIG for the cluster's API. With {@link StepContainers}, each step
 * runs in its image instead, with the paths the Task names inside the container.
 */
final class TaskRunner {

    private static final String TEKTON_RESULTS = "/tekton/results";

    private final LocalCluster cluster;
    private final StepPrograms programs;
    private final Consumer<String> log;
    private StepContainers containers;

    TaskRunner(LocalCluster cluster, StepPrograms programs, Consumer<String> log) {
        this.cluster = cluster;
        this.programs = programs;
        this.log = log;
    }

    /** Runs every step in its image from now on, instead of the local program. */
    void inImages(StepContainers stepContainers) {
        this.containers = stepContainers;
    }

    /**
     * @param givenParams the pipeline task's params, already substituted
     * @param workspaces the Task's workspace names bound to folders
     * @param context the {@code context.*} variables of this TaskRun
     */
    TaskRunOutcome run(
            String pipelineTask,
            JsonNode spec,
            Map<String, String> givenParams,
            Map<String, Path> workspaces,
            Duration timeout,
            Path taskRunDir,
            Map<String, String> context) {
        long started = System.nanoTime();
        StringJoiner output = new StringJoiner("\n");
        try {
            Path resultsDir = Files.createDirectories(taskRunDir.resolve("results"));
            Variables variables = new Variables(context).with(taskVariables(spec, givenParams, workspaces, resultsDir));
            Map<String, Path> mounts = new LinkedHashMap<>();
            mounts.put(TEKTON_RESULTS, resultsDir);
            if (containers != null) {
                for (JsonNode workspace : spec.path("workspaces")) {
                    Path folder = workspaces.get(workspace.path("name").asText());
                    if (folder != null) {
                        mounts.put(workspaceMountPath(workspace), folder);
                    }
                }
                mounts.values().forEach(containers::shareWithContainer);
            }
            for (JsonNode step : spec.path("steps")) {
                Map<String, Path> volumes = volumeMounts(step, spec, taskRunDir);
                if (containers != null) {
                    volumes.values().forEach(containers::shareWithContainer);
                }
                mounts.putAll(volumes);
                Duration left = timeout.minusNanos(System.nanoTime() - started);
                ProgramRunner.Outcome run = runStep(pipelineTask, step, variables, mounts, left, output);
                if (run.timedOut()) {
                    // Tekton stops a TaskRun past its timeout and fails it with reason TaskRunTimeout.
                    output.add(
                            "step " + step.path("name").asText() + " was stopped at the TaskRun's timeout " + timeout);
                    return new TaskRunOutcome(
                            pipelineTask,
                            TaskStatus.FAILED,
                            0,
                            since(started),
                            output.toString(),
                            Map.of(),
                            "TaskRunTimeout: " + timeout);
                }
                if (run.exitCode() != 0) {
                    return new TaskRunOutcome(
                            pipelineTask,
                            TaskStatus.FAILED,
                            run.exitCode(),
                            since(started),
                            output.toString(),
                            readResults(spec, resultsDir),
                            "Failed: step " + step.path("name").asText() + " exited " + run.exitCode(),
                            undeclaredResults(spec, resultsDir));
                }
            }
            return new TaskRunOutcome(
                    pipelineTask,
                    TaskStatus.SUCCEEDED,
                    0,
                    since(started),
                    output.toString(),
                    readResults(spec, resultsDir),
                    "Succeeded",
                    undeclaredResults(spec, resultsDir));
        } catch (Variables.UnresolvedVariable | StepPrograms.UnsupportedStep | MissingReference e) {
            output.add(e.getMessage());
            return new TaskRunOutcome(
                    pipelineTask, TaskStatus.FAILED, 0, since(started), output.toString(), Map.of(), e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the TaskRun folder " + taskRunDir, e);
        }
    }

    private Map<String, String> taskVariables(
            JsonNode spec, Map<String, String> givenParams, Map<String, Path> workspaces, Path resultsDir) {
        Map<String, String> values = new LinkedHashMap<>();
        for (JsonNode param : spec.path("params")) {
            String name = param.path("name").asText();
            String value = givenParams.containsKey(name)
                    ? givenParams.get(name)
                    : param.has("default") ? Variables.stringDefault(param) : null;
            if (value == null) {
                throw new MissingReference("param " + name + " has no value and no default");
            }
            values.put("params." + name, value);
        }
        for (JsonNode workspace : spec.path("workspaces")) {
            String name = workspace.path("name").asText();
            Path folder = workspaces.get(name);
            if (folder != null) {
                values.put(
                        "workspaces." + name + ".path",
                        containers != null ? workspaceMountPath(workspace) : folder.toString());
                values.put("workspaces." + name + ".bound", "true");
                // Tekton's claim is the PVC's name, empty for an emptyDir (a folder the PipelineRunner made for
                // this TaskRun alone); a folder given for the run stands for a PersistentVolumeClaim.
                values.put(
                        "workspaces." + name + ".claim",
                        PipelineRunner.isEmptyDir(folder) ? "" : "local-" + folder.getFileName());
            } else if (workspace.path("optional").asBoolean(false)) {
                values.put("workspaces." + name + ".path", "");
                values.put("workspaces." + name + ".bound", "false");
            } else {
                throw new MissingReference("workspace " + name + " is not bound");
            }
        }
        for (JsonNode result : spec.path("results")) {
            values.put(
                    "results." + result.path("name").asText() + ".path",
                    containers != null
                            ? TEKTON_RESULTS + "/" + result.path("name").asText()
                            : resultsDir.resolve(result.path("name").asText()).toString());
        }
        return values;
    }

    /** Where Tekton mounts a workspace in the step's container: its mountPath, else /workspace/<name>. */
    private static String workspaceMountPath(JsonNode workspace) {
        return workspace.hasNonNull("mountPath")
                ? workspace.path("mountPath").asText()
                : "/workspace/" + workspace.path("name").asText();
    }

    private ProgramRunner.Outcome runStep(
            String pipelineTask,
            JsonNode step,
            Variables variables,
            Map<String, Path> mounts,
            Duration timeout,
            StringJoiner output) {
        if (step.hasNonNull("script")) {
            throw new StepPrograms.UnsupportedStep(
                    "step " + step.path("name").asText() + " is a script; the harness runs programs only");
        }
        // Inside a container the paths are the container's own; a local program gets the folders they stand for.
        Map<String, Path> remounts = containers != null ? Map.of() : mounts;
        Set<String> secretNames = new HashSet<>();
        Map<String, String> env = environment(step, variables, remounts, secretNames);
        List<String> command = strings(step.path("command"), variables, remounts, env);
        List<String> args = strings(step.path("args"), variables, remounts, env);
        String image = variables.apply(step.path("image").asText());
        String prefix = "  [" + pipelineTask + "/" + step.path("name").asText() + "] ";
        Consumer<String> lines = line -> {
            output.add(line);
            log.accept(prefix + line);
        };
        if (containers == null) {
            log.accept("taskrun=" + pipelineTask + " step=" + step.path("name").asText() + " image=" + image);
            return ProgramRunner.run(programs.command(image, command, args), env, timeout, lines);
        }
        if (command.isEmpty()) {
            throw new StepPrograms.UnsupportedStep(
                    "step of " + image + " has no command (the harness does not read image entry points)");
        }
        String localImage = containers.localImage(image);
        Map<String, Path> containerMounts = new LinkedHashMap<>(mounts);
        cluster.kubeconfig().ifPresent(file -> {
            containerMounts.put(StepContainers.KUBECONFIG_PATH, file);
            env.put("KUBECONFIG", StepContainers.KUBECONFIG_PATH);
        });
        String name = containers.nextName();
        Map<String, String> secrets = new LinkedHashMap<>(containers.podmanEnvironment());
        secretNames.forEach(secret -> secrets.put(secret, env.get(secret)));
        log.accept("taskrun=" + pipelineTask + " step=" + step.path("name").asText() + " image=" + localImage
                + " container=" + name + " uid=" + containers.uid());
        try {
            return ProgramRunner.run(
                    containers.command(name, localImage, step, command, args, env, secretNames, containerMounts),
                    secrets,
                    timeout,
                    lines);
        } finally {
            containers.remove(name);
        }
    }

    private Map<String, String> environment(
            JsonNode step, Variables variables, Map<String, Path> mounts, Set<String> secretNames) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode source : step.path("envFrom")) {
            String prefix = source.path("prefix").asText("");
            JsonNode ref = source.has("configMapRef") ? source.path("configMapRef") : source.path("secretRef");
            String name = variables.apply(ref.path("name").asText());
            Optional<Map<String, String>> data =
                    source.has("configMapRef") ? cluster.configMap(name) : cluster.secret(name);
            if (data.isEmpty() && !ref.path("optional").asBoolean(false)) {
                throw new MissingReference(
                        (source.has("configMapRef") ? "ConfigMap " : "Secret ") + name + " not found");
            }
            data.ifPresent(values -> values.forEach((key, value) -> env.put(prefix + key, value)));
            if (source.has("secretRef")) {
                data.ifPresent(values -> values.keySet().forEach(key -> secretNames.add(prefix + key)));
            }
        }
        for (JsonNode var : step.path("env")) {
            String name = var.path("name").asText();
            if (var.has("valueFrom")) {
                Optional<String> value = resolveReference(var.path("valueFrom"), variables);
                if (value.isPresent()) {
                    env.put(name, value.get());
                    if (var.path("valueFrom").has("secretKeyRef")) {
                        secretNames.add(name);
                    } else {
                        secretNames.remove(name);
                    }
                }
            } else {
                secretNames.remove(name);
                // Kubernetes expands $(VAR) in env values from the variables defined before it.
                env.put(
                        name,
                        ContainerEnvExpansion.expand(
                                variables.apply(remount(var.path("value").asText(""), mounts)), env));
            }
        }
        if (containers == null) {
            cluster.kubeconfig().ifPresent(file -> env.put("KUBECONFIG", file.toString()));
        }
        return env;
    }

    private Optional<String> resolveReference(JsonNode valueFrom, Variables variables) {
        boolean fromSecret = valueFrom.has("secretKeyRef");
        JsonNode ref = fromSecret ? valueFrom.path("secretKeyRef") : valueFrom.path("configMapKeyRef");
        if (ref.isMissingNode()) {
            throw new StepPrograms.UnsupportedStep(
                    "only secretKeyRef and configMapKeyRef are resolved locally, not " + valueFrom);
        }
        String name = variables.apply(ref.path("name").asText());
        String key = variables.apply(ref.path("key").asText());
        boolean optional = ref.path("optional").asBoolean(false);
        String kind = fromSecret ? "Secret " : "ConfigMap ";
        Optional<Map<String, String>> data = fromSecret ? cluster.secret(name) : cluster.configMap(name);
        if (data.isEmpty()) {
            if (optional) {
                return Optional.empty();
            }
            throw new MissingReference(kind + name + " not found");
        }
        String value = data.get().get(key);
        if (value == null && !optional) {
            throw new MissingReference("key " + key + " not found in " + kind + name);
        }
        return Optional.ofNullable(value);
    }

    private static List<String> strings(
            JsonNode array, Variables variables, Map<String, Path> mounts, Map<String, String> env) {
        List<String> out = new ArrayList<>();
        array.forEach(item ->
                out.add(ContainerEnvExpansion.expand(variables.apply(remount(item.asText(), mounts)), env)));
        return out;
    }

    /**
     * Paths inside the container (results folder, emptyDir mounts) become their local folders. Only the paths the YAML
     * writes, before its variables are substituted: a workspace's local folder may itself lie under /tmp, a mount path.
     */
    private static String remount(String value, Map<String, Path> mounts) {
        for (Map.Entry<String, Path> mount : mounts.entrySet()) {
            if (value.equals(mount.getKey()) || value.startsWith(mount.getKey() + "/")) {
                return mount.getValue() + value.substring(mount.getKey().length());
            }
        }
        return value;
    }

    private static Map<String, Path> volumeMounts(JsonNode step, JsonNode spec, Path taskRunDir) throws IOException {
        Map<String, Path> mounts = new LinkedHashMap<>();
        for (JsonNode mount : step.path("volumeMounts")) {
            String volume = mount.path("name").asText();
            boolean emptyDir = false;
            for (JsonNode declared : spec.path("volumes")) {
                emptyDir |= declared.path("name").asText().equals(volume) && declared.has("emptyDir");
            }
            if (!emptyDir) {
                throw new StepPrograms.UnsupportedStep(
                        "volume " + volume + " is not an emptyDir; the harness mounts only those");
            }
            mounts.put(
                    mount.path("mountPath").asText(),
                    Files.createDirectories(taskRunDir.resolve("volumes").resolve(volume)));
        }
        return mounts;
    }

    private static Map<String, String> readResults(JsonNode spec, Path resultsDir) {
        Map<String, String> results = new LinkedHashMap<>();
        for (JsonNode result : spec.path("results")) {
            Path file = resultsDir.resolve(result.path("name").asText());
            if (Files.isRegularFile(file)) {
                try {
                    results.put(result.path("name").asText(), Files.readString(file));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read result " + file, e);
                }
            }
        }
        return results;
    }

    /** The files in the results folder that the Task declares no result for (Tekton would drop them). */
    private static List<String> undeclaredResults(JsonNode spec, Path resultsDir) {
        Set<String> declared = new HashSet<>();
        spec.path("results").forEach(result -> declared.add(result.path("name").asText()));
        try (Stream<Path> files = Files.list(resultsDir)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> !declared.contains(name))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the results folder " + resultsDir, e);
        }
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** A ConfigMap, Secret, key, param or workspace the TaskRun needs and does not have: it fails before its step runs. */
    static final class MissingReference extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingReference(String message) {
            super(message);
        }
    }
}
