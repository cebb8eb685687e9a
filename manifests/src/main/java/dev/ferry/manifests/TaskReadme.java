package dev.ferry.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.projectfiles.GeneratedBlock;
import java.nio.file.Path;
import java.util.List;

/**
 * The generated part of a Task's README: its description and its param, result and workspace tables, rendered
 * from the Task's YAML (the layout of konflux-ci/build-definitions) between markers, hand-written prose below.
 * A test compares it with the YAML and, with {@code -Dferry.docs.update=true}, rewrites it.
 */
public final class TaskReadme {

    /** The block every Task README holds right under its title. */
    public static final GeneratedBlock BLOCK = new GeneratedBlock("task", "the Task's YAML");

    private TaskReadme() {}

    /** The generated part: the Task's description, then the three tables. */
    public static String generated(JsonNode taskSpec) {
        String description = taskSpec.path("description").asText("").strip().replaceAll("\n+", "\n\n");
        StringBuilder out = new StringBuilder();
        if (!description.isEmpty()) {
            out.append(description).append("\n\n");
        }
        out.append(String.join("\n", tables(taskSpec)));
        return out.toString();
    }

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

    /** A finding when the README lacks the generated block or holds it in another form than the YAML says. */
    public static List<Finding> check(String where, JsonNode taskSpec, String readme) {
        String normalised = readme.replace("\r\n", "\n");
        String expected = BLOCK.render(generated(taskSpec));
        if (normalised.contains(expected)) {
            return List.of();
        }
        return List.of(new Finding(
                where,
                "README's generated part differs from the Task YAML (./mvnw test -Dferry.docs.update=true rewrites it);"
                        + " expected:\n" + expected));
    }

    /**
     * Checks the README file and, with {@code -Dferry.docs.update=true}, rewrites its generated part instead.
     */
    public static List<Finding> checkFile(Path readme, JsonNode taskSpec) {
        return BLOCK.check(readme, generated(taskSpec))
                .map(message -> List.of(new Finding(readme.toString(), message)))
                .orElse(List.of());
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
