package dev.ferry.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.projectfiles.ManifestFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Argo check must catch broken templateRefs, parameters and outputs, and accept a correct flow. */
class ArgoReferenceCheckTest {

    private static final String LIBRARY = """
            apiVersion: argoproj.io/v1alpha1
            kind: WorkflowTemplate
            metadata:
              name: steps
            spec:
              templates:
                - name: greet
                  inputs:
                    parameters:
                      - name: who
                      - name: greeting
                        value: hello
                  outputs:
                    parameters:
                      - name: said
                        valueFrom:
                          path: /tmp/said
                  container:
                    image: registry.example/greet@sha256:1111111111111111111111111111111111111111111111111111111111111111
                    env:
                      - name: WHO
                        value: "{{inputs.parameters.who}}"
            """;

    private static final String FLOW = """
            apiVersion: argoproj.io/v1alpha1
            kind: WorkflowTemplate
            metadata:
              name: flow
            spec:
              entrypoint: main
              onExit: exit-handler
              arguments:
                parameters:
                  - name: who
                    value: world
              templates:
                - name: main
                  dag:
                    tasks:
                      - name: first
                        templateRef:
                          name: steps
                          template: greet
                        arguments:
                          parameters:
                            - name: who
                              value: "{{workflow.parameters.who}}"
                      - name: second
                        depends: first.Succeeded
                        templateRef:
                          name: steps
                          template: greet
                        arguments:
                          parameters:
                            - name: who
                              value: "{{tasks.first.outputs.parameters.said}}"
                - name: exit-handler
                  steps:
                    - - name: always
                        templateRef:
                          name: steps
                          template: greet
                        arguments:
                          parameters:
                            - name: who
                              value: "{{workflow.status}}"
            """;

    private static List<String> messages(String... yaml) {
        return ArgoReferenceCheck.check(ManifestFiles.parse(Path.of("test.yaml"), String.join("---\n", yaml))).stream()
                .map(Finding::message)
                .toList();
    }

    @Test
    void acceptsACorrectFlow() {
        assertThat(messages(LIBRARY, FLOW)).isEmpty();
    }

    @Test
    void reportsUnknownTemplatesAndParameters() {
        String renamed = FLOW.replace(
                "- name: who\n                  value: \"{{workflow.parameters.who}}\"",
                "- name: whom\n                  value: \"{{workflow.parameters.nobody}}\"");
        int exitCall = renamed.lastIndexOf("template: greet");
        String broken = renamed.substring(0, exitCall) + "template: shout"
                + renamed.substring(exitCall + "template: greet".length());
        assertThat(messages(LIBRARY, broken))
                .contains(
                        "passes parameter whom that the template does not declare",
                        "omits required parameter who",
                        "{{workflow.parameters.nobody}} is not a workflow argument",
                        "WorkflowTemplate steps has no template shout");
    }

    @Test
    void reportsUnknownOutputsDependenciesAndLibraries() {
        String broken = FLOW.replace("outputs.parameters.said", "outputs.parameters.shouted")
                .replace("depends: first.Succeeded", "depends: zeroth.Succeeded && first")
                .replace("onExit: exit-handler", "onExit: goodbye");
        assertThat(messages(LIBRARY, broken))
                .contains(
                        "task first has no output parameter shouted",
                        "depends on zeroth, which is no task here",
                        "onExit names no template goodbye");
        assertThat(messages(FLOW)).contains("templateRef names no WorkflowTemplate steps");
    }

    @Test
    void reportsInputsPastedIntoScriptsAndUndeclaredInputs() {
        String broken = """
                apiVersion: argoproj.io/v1alpha1
                kind: WorkflowTemplate
                metadata:
                  name: steps
                spec:
                  templates:
                    - name: greet
                      inputs:
                        parameters:
                          - name: who
                      script:
                        image: registry.example/greet@sha256:1111111111111111111111111111111111111111111111111111111111111111
                        source: echo {{inputs.parameters.who}} {{inputs.parameters.whom}}
                """;
        assertThat(messages(broken))
                .contains(
                        "{{…}} inside script source: pass the value through env instead",
                        "{{inputs.parameters.whom}} is not a declared input");
    }
}
