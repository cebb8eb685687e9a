package dev.ferry.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.projectfiles.ManifestDocument;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds, offline, the Tekton reference errors that a cluster reports only when a run starts: undeclared
 * {@code $(params.x)}, {@code $(results.x.path)} and {@code $(workspaces.x.*)}; pipeline tasks whose Task is
 * missing, that pass params it does not declare or omit required ones, or leave required workspaces unbound;
 * {@code $(tasks.t.results.r)} naming no such task or result; runAfter cycles; and {@code $(params…)} inside a
 * step script, where a value would become shell code.
 */
public final class TektonReferenceCheck {

    private static final Pattern PARAM = Pattern.compile("\\$\\(params(?:\\.([A-Za-z0-9_-]+)|\\[['\"]([^'\"]+)['\"]])");
    private static final Pattern RESULT = Pattern.compile("\\$\\(results\\.([A-Za-z0-9_-]+)\\.path\\)");
    private static final Pattern WORKSPACE =
            Pattern.compile("\\$\\(workspaces\\.([A-Za-z0-9_-]+)\\.(?:path|bound|claim|volume)\\)");
    private static final Pattern TASK_RESULT =
            Pattern.compile("\\$\\(tasks\\.([A-Za-z0-9_-]+)\\.results\\.([A-Za-z0-9_-]+)");
    private static final Pattern TASK_STATUS = Pattern.compile("\\$\\(tasks\\.([A-Za-z0-9_-]+)\\.status\\)");

    private final List<Finding> findings = new ArrayList<>();
    private final Map<String, JsonNode> tasksByName = new HashMap<>();
    private final Map<String, JsonNode> pipelinesByName = new HashMap<>();

    private TektonReferenceCheck(List<ManifestDocument> documents) {
        for (ManifestDocument doc : documents) {
            if (doc.isTekton() && doc.is("Task")) {
                tasksByName.put(doc.name(), doc.spec());
            } else if (doc.isTekton() && doc.is("Pipeline")) {
                pipelinesByName.put(doc.name(), doc.spec());
            }
        }
    }

    /** Checks every Tekton document against the others (Tasks are resolved by name among them). */
    public static List<Finding> check(List<ManifestDocument> documents) {
        TektonReferenceCheck check = new TektonReferenceCheck(documents);
        for (ManifestDocument doc : documents) {
            if (!doc.isTekton()) {
                continue;
            }
            switch (doc.kind()) {
                case "Task" -> check.task(doc.where(), doc.spec());
                case "Pipeline" -> check.pipeline(doc.where(), doc.spec());
                case "PipelineRun" -> check.pipelineRun(doc.where(), doc.spec());
                default -> {}
            }
        }
        return List.copyOf(new LinkedHashSet<>(check.findings));
    }

    private void task(String where, JsonNode spec) {
        Set<String> params = Nodes.names(spec.path("params"));
        Set<String> results = Nodes.names(spec.path("results"));
        Set<String> workspaces = Nodes.names(spec.path("workspaces"));
        List<JsonNode> containers = new ArrayList<>(Nodes.list(spec.path("steps")));
        containers.addAll(Nodes.list(spec.path("sidecars")));
        if (spec.has("stepTemplate")) {
            containers.add(spec.get("stepTemplate"));
        }
        for (JsonNode step : containers) {
            String label = where + " step " + step.path("name").asText("(template)");
            if (!paramNames(step.path("script").asText("")).isEmpty()) {
                report(label, "$(params…) inside a script: pass the value through env instead");
            }
            String text = String.join("\n", Nodes.strings(step));
            for (String p : paramNames(text)) {
                if (!params.contains(p)) {
                    report(label, "$(params." + p + ") is not a declared param");
                }
            }
            for (String r : groups(RESULT, text, 1)) {
                if (!results.contains(r)) {
                    report(label, "$(results." + r + ".path) is not a declared result");
                }
            }
            for (String w : groups(WORKSPACE, text, 1)) {
                if (!workspaces.contains(w)) {
                    report(label, "$(workspaces." + w + ".…) is not a declared workspace");
                }
            }
        }
    }

    private void pipeline(String where, JsonNode spec) {
        Set<String> params = Nodes.names(spec.path("params"));
        Set<String> workspaces = Nodes.names(spec.path("workspaces"));
        Map<String, JsonNode> dag = Nodes.byName(spec.path("tasks"));
        Map<String, JsonNode> fin = Nodes.byName(spec.path("finally"));
        Map<String, Set<String>> after = new HashMap<>();
        for (boolean isFinally : new boolean[] {false, true}) {
            for (JsonNode pt : (isFinally ? fin : dag).values()) {
                String name = pt.path("name").asText();
                String label = where + " task " + name;
                if (!isFinally && fin.containsKey(name)) {
                    report(where, "task " + name + " is both in tasks and in finally");
                }
                ObjectNode outer = pt.deepCopy();
                outer.remove("taskSpec");
                String text = String.join("\n", Nodes.strings(outer));
                for (String p : paramNames(text)) {
                    if (!params.contains(p)) {
                        report(label, "$(params." + p + ") is not a pipeline param");
                    }
                }
                Set<String> deps = new LinkedHashSet<>(Nodes.texts(pt.path("runAfter")));
                for (String d : deps) {
                    if (!dag.containsKey(d)) {
                        report(label, "runAfter names no task " + d);
                    }
                }
                taskResults(label, text, dag, deps);
                for (String t : groups(TASK_STATUS, text, 1)) {
                    if (!isFinally) {
                        report(label, "$(tasks." + t + ".status) is only allowed in finally");
                    } else if (!dag.containsKey(t)) {
                        report(label, "$(tasks." + t + ".status) names no task");
                    }
                }
                if (!isFinally && text.contains("$(tasks.status)")) {
                    report(label, "$(tasks.status) is only allowed in finally");
                }
                for (String w : groups(WORKSPACE, text, 1)) {
                    if (!workspaces.contains(w)) {
                        report(label, "$(workspaces." + w + ".…) is not a pipeline workspace");
                    }
                }
                if (!isFinally) {
                    after.put(name, deps);
                }
                bindings(label, pt, workspaces);
            }
        }
        for (JsonNode result : Nodes.list(spec.path("results"))) {
            taskResults(
                    where + " result " + result.path("name").asText(),
                    String.join("\n", Nodes.strings(result.path("value"))),
                    dag,
                    new HashSet<>());
        }
        cycles(where, after);
    }

    /** Resolves {@code $(tasks.t.results.r)}: t must be a DAG task whose Task declares r. */
    private void taskResults(String label, String text, Map<String, JsonNode> dag, Set<String> deps) {
        Matcher m = TASK_RESULT.matcher(text);
        while (m.find()) {
            String t = m.group(1);
            String r = m.group(2);
            JsonNode target = dag.get(t);
            if (target == null) {
                report(label, "$(tasks." + t + ".results." + r + ") names no task " + t);
                continue;
            }
            deps.add(t);
            resolve(target).ifPresent(taskSpec -> {
                if (!Nodes.names(taskSpec.path("results")).contains(r)) {
                    report(label, "$(tasks." + t + ".results." + r + "): task " + t + " declares no result " + r);
                }
            });
        }
    }

    /** Params and workspaces a pipeline task passes must match what its Task declares. */
    private void bindings(String label, JsonNode pt, Set<String> pipelineWorkspaces) {
        if (pt.has("taskSpec")) {
            task(label + " taskSpec", pt.get("taskSpec"));
        }
        JsonNode ref = pt.path("taskRef");
        Optional<JsonNode> resolved = resolve(pt);
        if (resolved.isEmpty()) {
            if (!pt.has("taskSpec") && !ref.has("resolver") && !ref.has("bundle")) {
                report(label, "taskRef " + ref.path("name").asText("(none)") + " names no Task in the checked files");
            }
            return;
        }
        JsonNode taskSpec = resolved.get();
        Set<String> given = Nodes.names(pt.path("params"));
        Map<String, JsonNode> declared = Nodes.byName(taskSpec.path("params"));
        for (String p : given) {
            if (!declared.containsKey(p)) {
                report(label, "passes param " + p + " that the Task does not declare");
            }
        }
        declared.forEach((p, d) -> {
            if (!given.contains(p) && !d.has("default")) {
                report(label, "omits required param " + p);
            }
        });
        Map<String, JsonNode> bound = Nodes.byName(pt.path("workspaces"));
        Map<String, JsonNode> taskWorkspaces = Nodes.byName(taskSpec.path("workspaces"));
        for (Map.Entry<String, JsonNode> b : bound.entrySet()) {
            if (!taskWorkspaces.containsKey(b.getKey())) {
                report(label, "binds workspace " + b.getKey() + " that the Task does not declare");
            }
            String to = b.getValue().path("workspace").asText("");
            if (!to.isEmpty() && !pipelineWorkspaces.contains(to)) {
                report(label, "binds to pipeline workspace " + to + ", which is not declared");
            }
        }
        taskWorkspaces.forEach((w, d) -> {
            if (!bound.containsKey(w) && !d.path("optional").asBoolean(false)) {
                report(label, "leaves required workspace " + w + " unbound");
            }
        });
    }

    private void pipelineRun(String where, JsonNode spec) {
        if (spec.has("pipelineSpec")) {
            pipeline(where, spec.get("pipelineSpec"));
            return;
        }
        JsonNode ref = spec.path("pipelineRef");
        if (ref.has("resolver") || ref.has("bundle")) {
            return;
        }
        JsonNode pipeline = pipelinesByName.get(ref.path("name").asText());
        if (pipeline == null) {
            report(
                    where,
                    "pipelineRef " + ref.path("name").asText("(none)") + " names no Pipeline in the checked files");
            return;
        }
        Set<String> given = Nodes.names(spec.path("params"));
        Map<String, JsonNode> declared = Nodes.byName(pipeline.path("params"));
        for (String p : given) {
            if (!declared.containsKey(p)) {
                report(where, "passes param " + p + " that the Pipeline does not declare");
            }
        }
        declared.forEach((p, d) -> {
            if (!given.contains(p) && !d.has("default")) {
                report(where, "omits required param " + p);
            }
        });
        Set<String> bound = Nodes.names(spec.path("workspaces"));
        Nodes.byName(pipeline.path("workspaces")).forEach((w, d) -> {
            if (!bound.contains(w) && !d.path("optional").asBoolean(false)) {
                report(where, "leaves pipeline workspace " + w + " unbound");
            }
        });
    }

    private Optional<JsonNode> resolve(JsonNode pipelineTask) {
        if (pipelineTask.has("taskSpec")) {
            return Optional.of(pipelineTask.get("taskSpec"));
        }
        return Optional.ofNullable(
                tasksByName.get(pipelineTask.path("taskRef").path("name").asText(null)));
    }

    private void cycles(String where, Map<String, Set<String>> after) {
        Map<String, Integer> state = new HashMap<>();
        for (String start : after.keySet()) {
            visit(where, start, after, state, new ArrayList<>());
        }
    }

    private void visit(
            String where, String node, Map<String, Set<String>> after, Map<String, Integer> state, List<String> path) {
        int s = state.getOrDefault(node, 0);
        if (s == 1) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
            cycle.add(node);
            report(where, "tasks form a cycle: " + String.join(" -> ", cycle));
            return;
        }
        if (s == 2) {
            return;
        }
        state.put(node, 1);
        path.add(node);
        for (String next : after.getOrDefault(node, Set.of())) {
            if (after.containsKey(next)) {
                visit(where, next, after, state, path);
            }
        }
        path.remove(path.size() - 1);
        state.put(node, 2);
    }

    static Set<String> paramNames(String text) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = PARAM.matcher(text);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return out;
    }

    private static Set<String> groups(Pattern pattern, String text, int group) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            out.add(m.group(group));
        }
        return out;
    }

    private void report(String where, String message) {
        findings.add(new Finding(where, message));
    }
}
