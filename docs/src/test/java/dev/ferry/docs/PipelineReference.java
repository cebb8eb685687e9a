package dev.ferry.docs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.manifests.Nodes;
import dev.ferry.projectfiles.ManifestDocument;
import dev.ferry.projectfiles.ManifestFiles;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docs/reference/pipelines.md and docs/reference/tasks.md, from the Tekton YAML: each Pipeline's params with the
 * pipeline tasks that use each, its results and workspaces; each Task with its params, results and workspaces.
 */
final class PipelineReference {

    private static final Pattern RESULT_REF = Pattern.compile("\\$\\(tasks\\.([\\w-]+)\\.results\\.([\\w-]+)\\)");

    private PipelineReference() {}

    static List<ManifestDocument> tekton(String kind) {
        return ManifestFiles.load(Reference.root(), List.of("tasks/tekton", "pipelines/tekton")).stream()
                .filter(d -> d.isTekton() && d.is(kind))
                .filter(d -> !d.file().toString().contains("/samples/")
                        && !d.file().toString().contains("/schedule/"))
                .sorted(Comparator.comparing(d -> d.file().toString()))
                .toList();
    }

    static String pipelines() {
        StringBuilder out = new StringBuilder();
        for (ManifestDocument pipeline : tekton("Pipeline")) {
            JsonNode spec = pipeline.spec();
            out.append("## `").append(pipeline.name()).append("`\n\n");
            out.append("[")
                    .append(pipeline.file())
                    .append("](../../")
                    .append(pipeline.file())
                    .append("): ")
                    .append(Reference.cell(firstLine(spec.path("description").asText(""))))
                    .append("\n\n");
            out.append("Tasks, in order: ").append(String.join(" → ", taskNames(spec.path("tasks"))));
            List<String> finallyTasks = taskNames(spec.path("finally"));
            if (!finallyTasks.isEmpty()) {
                out.append("; `finally`: ").append(String.join(", ", finallyTasks));
            }
            out.append(".\n\n### Params\n\n| Param | Default | Used by | Description |\n| --- | --- | --- | --- |\n");
            for (JsonNode param : Nodes.list(spec.path("params"))) {
                String name = param.path("name").asText();
                out.append("| `")
                        .append(name)
                        .append("` | ")
                        .append(defaultOf(param))
                        .append(" | ")
                        .append(String.join(", ", usersOf(spec, name)))
                        .append(" | ")
                        .append(Reference.cell(param.path("description").asText("")))
                        .append(" |\n");
            }
            out.append("\n### Results\n\n| Result | From | Description |\n| --- | --- | --- |\n");
            for (JsonNode result : Nodes.list(spec.path("results"))) {
                Matcher from = RESULT_REF.matcher(result.path("value").asText());
                out.append("| `")
                        .append(result.path("name").asText())
                        .append("` | ")
                        .append(from.find() ? "`" + from.group(1) + "`'s `" + from.group(2) + "`" : "")
                        .append(" | ")
                        .append(Reference.cell(result.path("description").asText("")))
                        .append(" |\n");
            }
            out.append("\n### Workspaces\n\n| Workspace | Description |\n| --- | --- |\n");
            for (JsonNode workspace : Nodes.list(spec.path("workspaces"))) {
                out.append("| `")
                        .append(workspace.path("name").asText())
                        .append("` | ")
                        .append(Reference.cell(workspace.path("description").asText("")))
                        .append(" |\n");
            }
            out.append('\n');
        }
        return out.toString();
    }

    static String tasks() {
        StringBuilder out = new StringBuilder(
                "| Task | Step program | Params | Results | Workspaces |\n| --- | --- | --- | --- | --- |\n");
        for (ManifestDocument task : tekton("Task")) {
            JsonNode spec = task.spec();
            String step = task.name().replaceFirst("^ferry-", "");
            out.append("| [")
                    .append(task.name())
                    .append("](../../")
                    .append(task.file().resolveSibling("README.md"))
                    .append(") | [`steps/")
                    .append(step)
                    .append("`](../../steps/")
                    .append(step)
                    .append("/README.md) | ")
                    .append(codes(names(spec.path("params"))))
                    .append(" | ")
                    .append(codes(names(spec.path("results"))))
                    .append(" | ")
                    .append(codes(names(spec.path("workspaces"))))
                    .append(" |\n");
        }
        return out.toString();
    }

    /** The pipeline tasks (DAG and finally) whose params, when expressions or workspaces use {@code $(params.name)}. */
    private static List<String> usersOf(JsonNode spec, String param) {
        Set<String> users = new LinkedHashSet<>();
        String reference = "$(params." + param + ")";
        for (String section : List.of("tasks", "finally")) {
            for (JsonNode task : Nodes.list(spec.path(section))) {
                String text = task.path("params").toString()
                        + task.path("when").toString()
                        + task.path("workspaces").toString();
                if (text.contains(reference)) {
                    users.add("`" + task.path("name").asText() + "`");
                }
            }
        }
        return new ArrayList<>(users);
    }

    private static List<String> taskNames(JsonNode tasks) {
        return Nodes.list(tasks).stream()
                .map(t -> "`" + t.path("name").asText() + "`")
                .toList();
    }

    private static List<String> names(JsonNode array) {
        return Nodes.list(array).stream().map(n -> n.path("name").asText()).toList();
    }

    private static String codes(List<String> names) {
        return names.stream()
                .map(n -> "`" + n + "`")
                .reduce((a, b) -> a + ", " + b)
                .orElse("");
    }

    private static String defaultOf(JsonNode param) {
        if (!param.has("default")) {
            return "required";
        }
        String value = param.get("default").isTextual()
                ? param.get("default").asText()
                : param.get("default").toString();
        return value.isEmpty() ? "empty" : "`" + Reference.cell(value) + "`";
    }

    private static String firstLine(String description) {
        String trimmed = description.strip();
        int end = trimmed.indexOf('\n');
        return end < 0 ? trimmed : trimmed.substring(0, end);
    }
}
