package dev.ferry.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The param, result and workspace tables of a Task's README, rendered from the Task's YAML (the layout of
 * konflux-ci/build-definitions), so a test can tell when the README has drifted from the Task.
 */
public final class TaskReadme {

    private TaskReadme() {}

    /** The three tables, each under its heading, as the README must contain them. */
    public static List<String> tables(JsonNode taskSpec) {
        StringBuilder params =
                new StringBuilder("## Parameters\n|name|description|default value|required|\n|---|---|---|---|\n");
        for (JsonNode p : Nodes.list(taskSpec.path("params"))) {
            String defaultValue = "";
            if (p.has("default")) {
                defaultValue = p.get("default").isTextual()
                                && p.get("default").asText().isEmpty()
                        ? "\"\""
                        : p.get("default").isTextual()
                                ? p.get("default").asText()
                                : p.get("default").toString();
            }
            params.append(
                    row(p.path("name").asText(), description(p), defaultValue, String.valueOf(!p.has("default"))));
        }
        StringBuilder results = new StringBuilder("## Results\n|name|description|\n|---|---|\n");
        for (JsonNode r : Nodes.list(taskSpec.path("results"))) {
            results.append(row(r.path("name").asText(), description(r)));
        }
        StringBuilder workspaces = new StringBuilder("## Workspaces\n|name|description|optional|\n|---|---|---|\n");
        for (JsonNode w : Nodes.list(taskSpec.path("workspaces"))) {
            workspaces.append(row(
                    w.path("name").asText(),
                    description(w),
                    String.valueOf(w.path("optional").asBoolean(false))));
        }
        return List.of(params.toString(), results.toString(), workspaces.toString());
    }

    /** Findings for every table the README lacks or has in another form than the YAML says. */
    public static List<Finding> check(String where, JsonNode taskSpec, String readme) {
        List<Finding> findings = new ArrayList<>();
        String normalised = readme.replace("\r\n", "\n");
        for (String table : tables(taskSpec)) {
            if (!normalised.contains(table)) {
                findings.add(new Finding(where, "README table differs from the Task YAML; expected:\n" + table));
            }
        }
        return findings;
    }

    private static String description(JsonNode node) {
        return node.path("description").asText("").trim().replaceAll("\\s+", " ");
    }

    private static String row(String... cells) {
        StringBuilder out = new StringBuilder("|");
        for (String cell : cells) {
            out.append(cell.replace("|", "\\|")).append('|');
        }
        return out.append('\n').toString();
    }
}
