package dev.ferry.docs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.manifests.Nodes;
import dev.ferry.projectfiles.ManifestDocument;
import dev.ferry.projectfiles.ManifestFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * docs/reference/rbac.md: every Role under deploy/rbac, one row per rule, with the comment that explains the rule
 * in the YAML as its reason.
 */
final class RbacReference {

    private RbacReference() {}

    static String generate() {
        StringBuilder out = new StringBuilder();
        for (Path file : roleFiles()) {
            List<String> reasons = ruleComments(Reference.read(file));
            for (ManifestDocument role : ManifestFiles.parse(Reference.root().relativize(file), Reference.read(file))) {
                if (!role.is("Role") && !role.is("ClusterRole")) {
                    continue;
                }
                out.append("## `")
                        .append(role.name())
                        .append("` ([")
                        .append(role.file())
                        .append("](../../")
                        .append(role.file())
                        .append("))\n\n| API group | Resources | Verbs | Why |\n| --- | --- | --- | --- |\n");
                List<JsonNode> rules = Nodes.list(role.node().path("rules"));
                for (int i = 0; i < rules.size(); i++) {
                    JsonNode rule = rules.get(i);
                    out.append("| ")
                            .append(joined(rule.path("apiGroups"), true))
                            .append(" | ")
                            .append(joined(rule.path("resources"), false))
                            .append(" | ")
                            .append(joined(rule.path("verbs"), false))
                            .append(" | ")
                            .append(i < reasons.size() ? Reference.cell(reasons.get(i)) : "")
                            .append(" |\n");
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static List<Path> roleFiles() {
        try (Stream<Path> files = Files.list(Reference.root().resolve("deploy/rbac"))) {
            return files.filter(f -> f.getFileName().toString().endsWith("-role.yaml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The comment lines right above each rule ({@code - apiGroups:}) under {@code rules:}, in order. */
    private static List<String> ruleComments(String yaml) {
        List<String> reasons = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        boolean inRules = false;
        for (String line : yaml.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.equals("rules:")) {
                inRules = true;
                pending.setLength(0);
            } else if (inRules && trimmed.startsWith("#")) {
                pending.append(trimmed.substring(1).strip()).append(' ');
            } else if (inRules && trimmed.startsWith("- ")) {
                reasons.add(pending.toString().strip());
                pending.setLength(0);
            }
        }
        return reasons;
    }

    private static String joined(JsonNode array, boolean coreGroup) {
        return Nodes.list(array).stream()
                .map(n -> coreGroup && n.asText().isEmpty() ? "core" : "`" + n.asText() + "`")
                .reduce((a, b) -> a + ", " + b)
                .orElse("");
    }
}
