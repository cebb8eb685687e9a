package dev.ferry.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.projectfiles.ManifestDocument;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Argo Workflows twin of {@link TektonReferenceCheck}: {@code {{inputs.parameters.x}}} and
 * {@code {{workflow.parameters.x}}} must be declared, every {@code template}/{@code templateRef} must resolve,
 * calls pass exactly the parameters their template declares (required ones included),
 * {@code {{tasks.t.outputs.parameters.p}}} and {@code depends} name real tasks and outputs, and no input is
 * pasted into a script.
 */
public final class ArgoReferenceCheck {

    private static final Pattern INPUT = Pattern.compile("\\{\\{\\s*inputs\\.parameters\\.([A-Za-z0-9_-]+)\\s*}}");
    private static final Pattern WORKFLOW_PARAM =
            Pattern.compile("\\{\\{\\s*workflow\\.parameters\\.([A-Za-z0-9_-]+)\\s*}}");
    private static final Pattern OUTPUT = Pattern.compile(
            "\\{\\{\\s*(?:tasks|steps)\\.([A-Za-z0-9_-]+)\\.outputs\\.parameters\\.([A-Za-z0-9_-]+)\\s*}}");
    private static final Set<String> SHELLS = Set.of("sh", "bash", "/bin/sh", "/bin/bash", "/usr/bin/env");

    private final List<Finding> findings = new ArrayList<>();
    private final Map<String, Map<String, JsonNode>> libraries = new HashMap<>();
    private final Map<String, JsonNode> workflowTemplates = new HashMap<>();

    private ArgoReferenceCheck(List<ManifestDocument> documents) {
        for (ManifestDocument doc : documents) {
            if (doc.isArgo() && (doc.is("WorkflowTemplate") || doc.is("ClusterWorkflowTemplate"))) {
                libraries.put(doc.name(), Nodes.byName(doc.spec().path("templates")));
                workflowTemplates.put(doc.name(), doc.spec());
            }
        }
    }

    /** Checks every Argo document; templateRefs are resolved among the WorkflowTemplates given. */
    public static List<Finding> check(List<ManifestDocument> documents) {
        ArgoReferenceCheck check = new ArgoReferenceCheck(documents);
        for (ManifestDocument doc : documents) {
            if (doc.isArgo()) {
                JsonNode spec = doc.is("CronWorkflow") ? doc.spec().path("workflowSpec") : doc.spec();
                check.workflowSpec(doc.where(), spec);
            }
        }
        return List.copyOf(new LinkedHashSet<>(check.findings));
    }

    private void workflowSpec(String where, JsonNode spec) {
        Set<String> workflowParams =
                new LinkedHashSet<>(Nodes.names(spec.path("arguments").path("parameters")));
        JsonNode ref = spec.path("workflowTemplateRef");
        if (ref.has("name")) {
            JsonNode referenced = workflowTemplates.get(ref.path("name").asText());
            if (referenced == null) {
                report(
                        where,
                        "workflowTemplateRef names no WorkflowTemplate "
                                + ref.path("name").asText());
            } else {
                Set<String> declared = Nodes.names(referenced.path("arguments").path("parameters"));
                for (String p : workflowParams) {
                    if (!declared.contains(p)) {
                        report(
                                where,
                                "passes argument " + p + " that WorkflowTemplate "
                                        + ref.path("name").asText() + " does not declare");
                    }
                }
            }
        }
        Map<String, JsonNode> own = Nodes.byName(spec.path("templates"));
        for (String field : new String[] {"entrypoint", "onExit"}) {
            String name = spec.path(field).asText("");
            if (!name.isEmpty() && !own.containsKey(name)) {
                report(where, field + " names no template " + name);
            }
        }
        for (JsonNode template : own.values()) {
            template(where + " template " + template.path("name").asText(), template, own, workflowParams);
        }
    }

    private void template(String label, JsonNode template, Map<String, JsonNode> own, Set<String> workflowParams) {
        Set<String> inputs = Nodes.names(template.path("inputs").path("parameters"));
        String text = String.join("\n", Nodes.strings(template));
        for (String p : groups(INPUT, text)) {
            if (!inputs.contains(p)) {
                report(label, "{{inputs.parameters." + p + "}} is not a declared input");
            }
        }
        for (String p : groups(WORKFLOW_PARAM, text)) {
            if (!workflowParams.contains(p)) {
                report(label, "{{workflow.parameters." + p + "}} is not a workflow argument");
            }
        }
        if (template.path("script").path("source").asText("").contains("{{")) {
            report(label, "{{…}} inside script source: pass the value through env instead");
        }
        JsonNode command = template.path("container").path("command");
        if (command.isArray()
                && command.size() > 0
                && SHELLS.contains(command.get(0).asText())
                && String.join("\n", Nodes.strings(template.path("container").path("args")))
                        .contains("{{")) {
            report(label, "{{…}} inside a shell command line: pass the value through env instead");
        }
        List<JsonNode> calls = new ArrayList<>();
        for (JsonNode group : Nodes.list(template.path("steps"))) {
            calls.addAll(group.isArray() ? Nodes.list(group) : List.of(group));
        }
        calls.addAll(Nodes.list(template.path("dag").path("tasks")));
        Map<String, JsonNode> targets = new LinkedHashMap<>();
        for (JsonNode call : calls) {
            JsonNode target = target(label + " call " + call.path("name").asText(), call, own);
            targets.put(call.path("name").asText(), target);
        }
        for (JsonNode call : calls) {
            call(label + " call " + call.path("name").asText(), call, targets);
        }
    }

    private JsonNode target(String label, JsonNode call, Map<String, JsonNode> own) {
        if (call.has("templateRef")) {
            String library = call.path("templateRef").path("name").asText();
            String name = call.path("templateRef").path("template").asText();
            Map<String, JsonNode> templates = libraries.get(library);
            if (templates == null) {
                report(label, "templateRef names no WorkflowTemplate " + library);
                return null;
            }
            if (!templates.containsKey(name)) {
                report(label, "WorkflowTemplate " + library + " has no template " + name);
            }
            return templates.get(name);
        }
        String name = call.path("template").asText("");
        if (!own.containsKey(name)) {
            report(label, "no template " + name + " in this spec");
        }
        return own.get(name);
    }

    private void call(String label, JsonNode call, Map<String, JsonNode> targets) {
        JsonNode target = targets.get(call.path("name").asText());
        if (target != null) {
            Set<String> given = Nodes.names(call.path("arguments").path("parameters"));
            Map<String, JsonNode> declared = Nodes.byName(target.path("inputs").path("parameters"));
            for (String p : given) {
                if (!declared.containsKey(p)) {
                    report(label, "passes parameter " + p + " that the template does not declare");
                }
            }
            declared.forEach((p, d) -> {
                if (!given.contains(p) && !d.has("value") && !d.has("default")) {
                    report(label, "omits required parameter " + p);
                }
            });
        }
        Set<String> dependencies = new LinkedHashSet<>(Nodes.texts(call.path("dependencies")));
        for (String token : call.path("depends").asText("").split("[\\s()!&|]+")) {
            if (!token.isEmpty()) {
                dependencies.add(token.contains(".") ? token.substring(0, token.indexOf('.')) : token);
            }
        }
        for (String d : dependencies) {
            if (!targets.containsKey(d)) {
                report(label, "depends on " + d + ", which is no task here");
            }
        }
        Matcher m = OUTPUT.matcher(String.join("\n", Nodes.strings(call)));
        while (m.find()) {
            String source = m.group(1);
            String output = m.group(2);
            if (!targets.containsKey(source)) {
                report(label, "refers to outputs of " + source + ", which is no step or task here");
                continue;
            }
            JsonNode sourceTemplate = targets.get(source);
            if (sourceTemplate != null
                    && !Nodes.names(sourceTemplate.path("outputs").path("parameters"))
                            .contains(output)) {
                report(label, "task " + source + " has no output parameter " + output);
            }
        }
    }

    private static Set<String> groups(Pattern pattern, String text) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private void report(String where, String message) {
        findings.add(new Finding(where, message));
    }
}
