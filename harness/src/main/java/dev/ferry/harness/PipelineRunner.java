package dev.ferry.harness;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.projectfiles.ManifestDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a Tekton Pipeline from its YAML on this machine, the way the Tekton controller would: params
 * (given values over defaults), the DAG of {@code runAfter} and result references, {@code when}
 * expressions, a failed task stopping the run, then the {@code finally} tasks with
 * {@code $(tasks.status)} and {@code $(tasks.<t>.status)}. Each task starts once its parents ended, independent
 * ones at the same time, a failed one again while it has {@code retries} left. Two runners (or two runs of one)
 * may run at the same time, as two PipelineRuns do.
 */
public final class PipelineRunner {

    private static final Pattern TASK_RESULT =
            Pattern.compile("\\$\\(tasks\\.([a-z0-9-]+)\\.results\\.([A-Za-z0-9_.-]+)\\)");
    private static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);
    /** What stands for "no timeout": longer than any test or rehearsal lasts, and still a Duration a process waits. */
    private static final Duration NO_TIMEOUT = Duration.ofDays(3650);

    private final TektonFiles files;
    private final TaskRunner taskRunner;
    private final LocalCluster cluster;
    private final Consumer<String> log;
    private final List<Consumer<TaskRunOutcome>> listeners = new ArrayList<>();
    private String stopGracefullyAfter;
    private String tasksTimeOutAfter;
    private String endAbruptlyAfter;
    private String abruptEnding;
    private final Set<String> emptyDirWorkspaces = new LinkedHashSet<>();
    static final String EMPTY_DIR = "emptyDir";

    public PipelineRunner(TektonFiles files, LocalCluster cluster, Consumer<String> log) {
        this.files = files;
        this.cluster = cluster;
        this.log = log;
        this.taskRunner = new TaskRunner(cluster, new StepPrograms(files.projectRoot()), log);
    }

    /**
     * Runs every step in its image, with the command, env, securityContext and volume mounts of the Task's YAML,
     * instead of the locally built program: the run then proves the YAML and the images together.
     */
    public PipelineRunner inImages(StepContainers containers) {
        taskRunner.inImages(containers);
        return this;
    }

    /**
     * Plays the console's "Stop" ({@code spec.status: StoppedRunFinally}) once {@code pipelineTask} has ended: as
     * tektoncd/pipeline's pkg/reconciler/pipelinerun/resources/pipelinerunresolution.go ({@code skip}: a gracefully
     * stopped run skips every DAG task not yet scheduled, GracefullyStoppedSkip) and pipelinerunstate.go ({@code
     * GetPipelineTaskStatus}: a skipped DAG task reads {@code None}, and {@code $(tasks.status)} is {@code Completed}
     * when any was skipped and none failed), the later tasks are skipped and {@code finally} still runs.
     */
    public PipelineRunner stopGracefullyAfter(String pipelineTask) {
        this.stopGracefullyAfter = pipelineTask;
        return this;
    }

    /**
     * Plays {@code timeouts.tasks} running out once {@code pipelineTask} has ended, before the next task starts: as
     * tektoncd/pipeline's pipelinerunresolution.go ({@code skip}: TasksTimedOutSkip for every DAG task not yet
     * scheduled) and pipelinerun.go (the tasks' timeout cancels running DAG TaskRuns only; {@code finally} still runs,
     * the run then fails with reason PipelineRunTimeout, pipelinerunstate.go). A skipped task reads {@code None} and
     * {@code $(tasks.status)} is {@code Completed}, as after a Stop.
     */
    public PipelineRunner tasksTimeOutAfter(String pipelineTask) {
        this.tasksTimeOutAfter = pipelineTask;
        return this;
    }

    /**
     * Binds pipeline workspace {@code name} as an emptyDir, the Start dialog's default "Empty Directory": each
     * TaskRun gets a new empty folder (a pod's own volume, gone with the pod) and {@code $(workspaces.w.claim)}
     * reads empty, as Tekton resolves it for any volume that is not a PersistentVolumeClaim.
     */
    public PipelineRunner emptyDir(String name) {
        emptyDirWorkspaces.add(name);
        return this;
    }

    static boolean isEmptyDir(Path folder) {
        return folder.getParent() != null
                && folder.getParent().getFileName().toString().equals(EMPTY_DIR);
    }

    /**
     * Plays {@code spec.status: Cancelled} once {@code pipelineTask} has ended: Tekton cancels what runs, schedules
     * nothing more and "pending finally tasks are not scheduled" (tektoncd/pipeline docs/pipelineruns.md, Cancelling
     * a PipelineRun). The run ends {@code Cancelled}.
     */
    public PipelineRunner cancelAfter(String pipelineTask) {
        return endAbruptlyAfter(pipelineTask, "Cancelled");
    }

    /**
     * Plays the PipelineRun's timeout running out once {@code pipelineTask} has ended, with no {@code
     * timeouts.finally} (the Start dialog sets none): running TaskRuns are cancelled and finally does not run
     * (docs/pipelineruns.md, Configuring a failure timeout). The run ends {@code PipelineRunTimeout}.
     */
    public PipelineRunner timeOutAfter(String pipelineTask) {
        return endAbruptlyAfter(pipelineTask, "PipelineRunTimeout");
    }

    private PipelineRunner endAbruptlyAfter(String pipelineTask, String reason) {
        this.endAbruptlyAfter = pipelineTask;
        this.abruptEnding = reason;
        return this;
    }

    /**
     * Called on the run's thread after every TaskRun ends (or is skipped), before any task that waits for it starts
     * (tasks independent of it may be running).
     */
    public PipelineRunner onTaskRun(Consumer<TaskRunOutcome> listener) {
        listeners.add(listener);
        return this;
    }

    /**
     * Runs a PipelineRun file as a cluster with Ferry installed would: the Pipeline its {@code pipelineRef} names,
     * with the run's own params and {@code overrides} on top (the values a test or the local rehearsal must set for
     * the parts it plays, e.g. the bucket). Its workspaces are bound to the folders given, as a volumeClaimTemplate
     * gives each run a new claim.
     *
     * @param pipelineRunFile the PipelineRun's file relative to the project root
     */
    public PipelineRunOutcome runPipelineRun(
            String pipelineRunFile, Map<String, String> overrides, Map<String, Path> workspaces, Path runDir) {
        ManifestDocument pipelineRun = files.pipelineRun(pipelineRunFile);
        JsonNode spec = pipelineRun.spec();
        if (!spec.path("pipelineRef").hasNonNull("name")
                || spec.path("pipelineRef").has("resolver")) {
            throw new IllegalArgumentException(pipelineRunFile + ": only a pipelineRef by name is run here");
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (JsonNode param : spec.path("params")) {
            if (!param.path("value").isTextual()) {
                throw new IllegalArgumentException(
                        pipelineRunFile + ": param " + param.path("name").asText() + " is not a string");
            }
            params.put(param.path("name").asText(), param.path("value").asText());
        }
        params.putAll(overrides);
        for (JsonNode workspace : spec.path("workspaces")) {
            if (!workspaces.containsKey(workspace.path("name").asText())) {
                throw new IllegalArgumentException(pipelineRunFile + ": workspace "
                        + workspace.path("name").asText() + " is not bound");
            }
        }
        log.accept("pipelinerun file=" + pipelineRunFile);
        return run(files.pipelineFile(spec.path("pipelineRef").path("name").asText()), params, workspaces, runDir);
    }

    /**
     * @param pipelineFile the Pipeline's file relative to the project root
     * @param givenParams the PipelineRun's params
     * @param workspaces the PipelineRun's workspaces, each bound to a folder
     * @param runDir where each TaskRun gets its folder (results, emptyDir volumes)
     */
    public PipelineRunOutcome run(
            String pipelineFile, Map<String, String> givenParams, Map<String, Path> workspaces, Path runDir) {
        ManifestDocument pipeline = files.pipeline(pipelineFile);
        JsonNode spec = pipeline.spec();
        String runName = pipeline.name() + "-run";
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("context.pipelineRun.name", runName);
        variables.put("context.pipelineRun.namespace", cluster.namespace());
        variables.put("context.pipeline.name", pipeline.name());
        for (JsonNode param : spec.path("params")) {
            String name = param.path("name").asText();
            String value = givenParams.containsKey(name)
                    ? givenParams.get(name)
                    : param.has("default") ? Variables.stringDefault(param) : null;
            if (value == null) {
                throw new IllegalArgumentException(pipelineFile + ": param " + name + " has no value and no default");
            }
            variables.put("params." + name, value);
        }
        Set<String> unknown = new LinkedHashSet<>(givenParams.keySet());
        spec.path("params").forEach(param -> unknown.remove(param.path("name").asText()));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(pipelineFile + " declares no params " + unknown);
        }
        for (JsonNode workspace : spec.path("workspaces")) {
            if (!workspaces.containsKey(workspace.path("name").asText())
                    && !emptyDirWorkspaces.contains(workspace.path("name").asText())
                    && !workspace.path("optional").asBoolean(false)) {
                throw new IllegalArgumentException(
                        pipelineFile + ": workspace " + workspace.path("name").asText() + " is not bound");
            }
        }
        log.accept("pipelinerun=" + runName + " pipeline=" + pipelineFile + " started");

        Map<String, TaskRunOutcome> outcomes = new LinkedHashMap<>();
        boolean stopping = false;
        boolean stopped = false;
        boolean tasksTimedOut = false;
        boolean ended = false;
        // Independent tasks run at the same time, as the controller creates a TaskRun for every task whose parents
        // are done (tektoncd/pipeline pkg/reconciler/pipelinerun/pipelinerun.go, runNextSchedulableTask with
        // DAGExecutionQueue): e.g. a follow's capture streams while its base copy uploads. Outcomes are recorded here,
        // on the run's own thread, in the order the TaskRuns end.
        List<JsonNode> pending = new ArrayList<>(inDagOrder(spec.path("tasks")));
        Set<String> running = new LinkedHashSet<>();
        ExecutorService taskRuns = Executors.newCachedThreadPool();
        CompletionService<TaskRunOutcome> ending = new ExecutorCompletionService<>(taskRuns);
        try {
            while (!pending.isEmpty() || !running.isEmpty()) {
                for (JsonNode task : List.copyOf(pending)) {
                    String name = task.path("name").asText();
                    if (!outcomes.keySet().containsAll(dagParents(task))) {
                        continue;
                    }
                    pending.remove(task);
                    String skip = ended
                            ? abruptEnding + ": not scheduled"
                            : stopping
                                    ? "PipelineRunStopping"
                                    : stopped
                                            ? "GracefullyStoppedSkip: PipelineRun was gracefully stopped"
                                            : tasksTimedOut
                                                    ? "TasksTimedOutSkip: the PipelineRun's tasks timeout ran out"
                                                    : null;
                    if (skip != null) {
                        record(TaskRunOutcome.skipped(name, skip), variables, outcomes);
                        continue;
                    }
                    Map<String, String> seen = new LinkedHashMap<>(variables);
                    Map<String, TaskRunOutcome> done = new LinkedHashMap<>(outcomes);
                    running.add(name);
                    ending.submit(() -> runPipelineTask(task, seen, done, workspaces, runDir));
                }
                if (running.isEmpty()) {
                    continue;
                }
                TaskRunOutcome outcome = ending.take().get();
                running.remove(outcome.pipelineTask());
                record(outcome, variables, outcomes);
                String name = outcome.pipelineTask();
                stopping |= outcome.status() == TaskStatus.FAILED;
                stopped |= name.equals(stopGracefullyAfter);
                tasksTimedOut |= name.equals(tasksTimeOutAfter);
                ended |= name.equals(endAbruptlyAfter);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("pipelinerun " + runName + " was interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a TaskRun of " + runName + " broke the harness", e.getCause());
        } finally {
            taskRuns.shutdownNow();
        }
        variables.put("tasks.status", aggregateStatus(outcomes.values()));
        outcomes.forEach((name, outcome) ->
                variables.put("tasks." + name + ".status", outcome.status().tektonName()));
        for (JsonNode task : spec.path("finally")) {
            record(
                    ended
                            ? TaskRunOutcome.skipped(
                                    task.path("name").asText(), abruptEnding + ": finally is not scheduled")
                            : runPipelineTask(task, variables, outcomes, workspaces, runDir),
                    variables,
                    outcomes);
        }

        String status = ended
                ? abruptEnding
                : tasksTimedOut
                        ? "PipelineRunTimeout"
                        : outcomes.values().stream().anyMatch(o -> o.status() == TaskStatus.FAILED)
                                ? "Failed"
                                : outcomes.values().stream().anyMatch(o -> o.status() == TaskStatus.SKIPPED)
                                        ? "Completed"
                                        : "Succeeded";
        Map<String, String> results = new LinkedHashMap<>();
        // Pipeline results come only from TaskRuns that succeeded, as up to Tekton v1.9 (pipelinerunstate.go,
        // GetTaskRunsResults; v1.10's commit a434edc5b adds failed ones): the older rule is the one every
        // supported Tekton (minVersion 0.59) honours.
        Map<String, String> succeededResults = new LinkedHashMap<>(variables);
        outcomes.values().stream()
                .filter(outcome -> outcome.status() != TaskStatus.SUCCEEDED)
                .forEach(outcome -> outcome.results()
                        .keySet()
                        .forEach(result ->
                                succeededResults.remove("tasks." + outcome.pipelineTask() + ".results." + result)));
        Variables resolved = new Variables(succeededResults);
        for (JsonNode result : spec.path("results")) {
            try {
                results.put(
                        result.path("name").asText(),
                        resolved.apply(result.path("value").asText()));
            } catch (Variables.UnresolvedVariable e) {
                // Tekton leaves out a pipeline result whose task result does not exist (skipped or failed task).
            }
        }
        log.accept("pipelinerun=" + runName + " status=" + status);
        return new PipelineRunOutcome(status, List.copyOf(outcomes.values()), results);
    }

    private TaskRunOutcome runPipelineTask(
            JsonNode task,
            Map<String, String> variables,
            Map<String, TaskRunOutcome> done,
            Map<String, Path> workspaces,
            Path runDir) {
        String name = task.path("name").asText();
        Variables pipelineVariables = new Variables(variables);
        // tektoncd/pipeline pipelinerunresolution.go, skipBecauseParentTaskWasSkipped: a parent skipped for any
        // reason but its own when expressions skips its children too ("Guarding a Task only" is when's scope).
        for (String parent : dagParents(task)) {
            TaskRunOutcome outcome = done.get(parent);
            if (outcome != null
                    && outcome.status() == TaskStatus.SKIPPED
                    && !outcome.reason().startsWith("WhenExpressionsSkip")) {
                return TaskRunOutcome.skipped(name, "ParentTasksSkip: parent " + parent + " was skipped");
            }
        }
        for (String parent : resultParents(task)) {
            TaskRunOutcome outcome = done.get(parent);
            if (outcome != null && outcome.status() == TaskStatus.SKIPPED) {
                return TaskRunOutcome.skipped(name, "MissingResultsSkip: uses a result of skipped task " + parent);
            }
            // A finally task may use what a failed TaskRun wrote (skipBecauseResultReferencesAreMissing resolves
            // the results of failed TaskRuns too); only a result that is not there skips it.
            if (outcome != null && outcome.status() == TaskStatus.FAILED && !resultsPresent(task, parent, outcome)) {
                return TaskRunOutcome.skipped(
                        name, "MissingResultsSkip: uses a missing result of failed task " + parent);
            }
        }
        try {
            for (JsonNode when : task.path("when")) {
                if (!holds(when, pipelineVariables)) {
                    return TaskRunOutcome.skipped(name, "WhenExpressionsSkip: " + when);
                }
            }
            Map<String, String> params = new LinkedHashMap<>();
            task.path("params")
                    .forEach(p -> params.put(
                            p.path("name").asText(),
                            pipelineVariables.apply(p.path("value").asText())));
            Map<String, Path> bound = new LinkedHashMap<>();
            for (JsonNode binding : task.path("workspaces")) {
                Path folder = emptyDirWorkspaces.contains(
                                binding.path("workspace").asText())
                        ? Files.createDirectories(runDir.resolve(variables.get("context.pipelineRun.name") + "-" + name)
                                .resolve(EMPTY_DIR)
                                .resolve(binding.path("workspace").asText()))
                        : workspaces.get(binding.path("workspace").asText());
                if (folder == null) {
                    throw new TaskRunner.MissingReference(
                            "pipeline workspace " + binding.path("workspace").asText() + " is not bound");
                }
                String subPath = pipelineVariables.apply(binding.path("subPath").asText(""));
                bound.put(
                        binding.path("name").asText(),
                        Files.createDirectories(subPath.isEmpty() ? folder : folder.resolve(subPath)));
            }
            JsonNode taskSpec = task.has("taskSpec")
                    ? task.path("taskSpec")
                    : files.taskSpec(task.path("taskRef").path("name").asText());
            Duration timeout = timeout(task);
            int retries = task.path("retries").asInt(0);
            String taskRunName = variables.get("context.pipelineRun.name") + "-" + name;
            Map<String, String> context = new LinkedHashMap<>();
            variables.forEach((key, value) -> {
                if (key.startsWith("context.")) {
                    context.put(key, value);
                }
            });
            context.put("context.taskRun.name", taskRunName);
            context.put("context.taskRun.namespace", cluster.namespace());
            context.put("context.task.name", task.path("taskRef").path("name").asText(name));
            context.put("context.pipelineTask.retries", Integer.toString(retries));
            // A failed TaskRun with retries left runs again, its timeout counted afresh and its results written anew
            // (tektoncd/pipeline pkg/reconciler/taskrun/taskrun.go, retryTaskRun: the failed status is archived in
            // RetriesStatus and the TaskRun gets a new pod; TEP-0121, timeout per retry). Each attempt gets its own
            // folder here, as each gets its own pod there.
            TaskRunOutcome outcome = null;
            for (int attempt = 0; attempt <= retries && (outcome == null || !outcome.succeeded()); attempt++) {
                context.put("context.task.retry-count", Integer.toString(attempt));
                log.accept("taskrun=" + name + " started" + (attempt == 0 ? "" : " retry=" + attempt));
                outcome = taskRunner.run(
                        name,
                        taskSpec,
                        params,
                        bound,
                        timeout,
                        Files.createDirectories(
                                runDir.resolve(attempt == 0 ? taskRunName : taskRunName + "-retry" + attempt)),
                        context);
            }
            log.accept(String.format(
                    Locale.ROOT,
                    "taskrun=%s status=%s exit=%d seconds=%.1f%s",
                    name,
                    outcome.status().tektonName(),
                    outcome.exitCode(),
                    outcome.duration().toMillis() / 1000.0,
                    outcome.succeeded() ? "" : " reason=\"" + outcome.reason() + "\""));
            return outcome;
        } catch (Variables.UnresolvedVariable | TaskRunner.MissingReference e) {
            // Tekton fails a PipelineRun whose task references what does not exist (e.g. a result a task did not
            // write).
            log.accept("taskrun=" + name + " status=Failed reason=\"" + e.getMessage() + "\"");
            return new TaskRunOutcome(
                    name, TaskStatus.FAILED, 0, Duration.ZERO, e.getMessage(), Map.of(), e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the folders of " + name, e);
        }
    }

    /**
     * The pipeline task's {@code timeout}, 1h when it sets none; {@code "0"} means no timeout at all (tektoncd/pipeline
     * pkg/apis/config/default.go, NoTimeoutDuration, which the TaskRun reconciler never times out), as a follow's
     * capture and apply need: they last until the cutover.
     */
    private static Duration timeout(JsonNode task) {
        if (!task.has("timeout")) {
            return DEFAULT_TIMEOUT;
        }
        Duration timeout = GoDuration.parse(task.path("timeout").asText());
        return timeout.isZero() ? NO_TIMEOUT : timeout;
    }

    private void record(TaskRunOutcome outcome, Map<String, String> variables, Map<String, TaskRunOutcome> outcomes) {
        outcomes.put(outcome.pipelineTask(), outcome);
        outcome.results()
                .forEach((result, value) ->
                        variables.put("tasks." + outcome.pipelineTask() + ".results." + result, value));
        if (outcome.status() == TaskStatus.SKIPPED) {
            log.accept("taskrun=" + outcome.pipelineTask() + " status=Skipped reason=\"" + outcome.reason() + "\"");
        }
        listeners.forEach(listener -> listener.accept(outcome));
    }

    /** {@code in}/{@code notin}: the substituted input is (not) one of the substituted values. */
    private static boolean holds(JsonNode when, Variables variables) {
        String input = variables.apply(when.path("input").asText());
        Set<String> values = new LinkedHashSet<>();
        when.path("values").forEach(v -> values.add(variables.apply(v.asText())));
        return switch (when.path("operator").asText()) {
            case "in" -> values.contains(input);
            case "notin" -> !values.contains(input);
            default -> throw new IllegalArgumentException("when operator must be in or notin: " + when);
        };
    }

    /** Succeeded when every task did; Failed when one failed; Completed when some were skipped (Tekton's words). */
    private static String aggregateStatus(Iterable<TaskRunOutcome> outcomes) {
        boolean failed = false;
        boolean skipped = false;
        for (TaskRunOutcome outcome : outcomes) {
            failed |= outcome.status() == TaskStatus.FAILED;
            skipped |= outcome.status() == TaskStatus.SKIPPED;
        }
        return failed ? "Failed" : skipped ? "Completed" : "Succeeded";
    }

    /** The tasks whose results this one uses (in params or when): implicit ordering, as in Tekton. */
    /** The parents a DAG task waits for: its runAfter and the tasks whose results it uses. */
    private static Set<String> dagParents(JsonNode task) {
        Set<String> parents = new LinkedHashSet<>();
        task.path("runAfter").forEach(parent -> parents.add(parent.asText()));
        parents.addAll(resultParents(task));
        return parents;
    }

    /** Whether every result of {@code parent} that {@code task} references was written. */
    private static boolean resultsPresent(JsonNode task, String parent, TaskRunOutcome outcome) {
        for (JsonNode place : referencePlaces(task)) {
            Matcher matcher = TASK_RESULT.matcher(place.asText(""));
            while (matcher.find()) {
                if (matcher.group(1).equals(parent) && !outcome.results().containsKey(matcher.group(2))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Where a pipeline task may reference results: its params' values and its when expressions. */
    private static List<JsonNode> referencePlaces(JsonNode task) {
        List<JsonNode> places = new ArrayList<>();
        task.path("params").forEach(p -> places.add(p.path("value")));
        task.path("when").forEach(w -> {
            places.add(w.path("input"));
            w.path("values").forEach(places::add);
        });
        return places;
    }

    private static Set<String> resultParents(JsonNode task) {
        Set<String> parents = new LinkedHashSet<>();
        for (JsonNode place : referencePlaces(task)) {
            Matcher matcher = TASK_RESULT.matcher(place.asText(""));
            while (matcher.find()) {
                parents.add(matcher.group(1));
            }
        }
        return parents;
    }

    /** The pipeline tasks ordered so every task follows its runAfter and result parents; declaration order otherwise. */
    static List<JsonNode> inDagOrder(JsonNode tasks) {
        Map<String, JsonNode> pending = new LinkedHashMap<>();
        tasks.forEach(task -> pending.put(task.path("name").asText(), task));
        Set<String> names = Set.copyOf(pending.keySet());
        List<JsonNode> ordered = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        while (!pending.isEmpty()) {
            JsonNode next = null;
            for (JsonNode task : pending.values()) {
                Set<String> parents = resultParents(task);
                task.path("runAfter").forEach(p -> parents.add(p.asText()));
                for (String parent : parents) {
                    if (!names.contains(parent)) {
                        throw new IllegalArgumentException(
                                "task " + task.path("name").asText() + " follows unknown task " + parent);
                    }
                }
                if (placed.containsAll(parents)) {
                    next = task;
                    break;
                }
            }
            if (next == null) {
                throw new IllegalArgumentException("the pipeline's tasks form a cycle: " + pending.keySet());
            }
            ordered.add(next);
            placed.add(next.path("name").asText());
            pending.remove(next.path("name").asText());
        }
        return ordered;
    }
}
