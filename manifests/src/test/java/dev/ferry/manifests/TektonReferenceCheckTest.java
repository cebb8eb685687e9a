package dev.ferry.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.projectfiles.ManifestFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Tekton check must catch what a cluster would reject late, and stay quiet on a correct pipeline. */
class TektonReferenceCheckTest {

    private static final String TASK = """
            apiVersion: tekton.dev/v1
            kind: Task
            metadata:
              name: greet
            spec:
              params:
                - name: who
                - name: greeting
                  default: hello
              results:
                - name: said
              workspaces:
                - name: data
              steps:
                - name: greet
                  image: registry.example/greet@sha256:1111111111111111111111111111111111111111111111111111111111111111
                  env:
                    - name: WHO
                      value: $(params.who)
                    - name: OUT
                      value: $(results.said.path)
                    - name: DIR
                      value: $(workspaces.data.path)
            """;

    private static final String GOOD_PIPELINE = """
            apiVersion: tekton.dev/v1
            kind: Pipeline
            metadata:
              name: good
            spec:
              params:
                - name: who
                  default: world
              workspaces:
                - name: data
              tasks:
                - name: first
                  taskRef:
                    name: greet
                  params:
                    - name: who
                      value: $(params.who)
                  workspaces:
                    - name: data
                      workspace: data
                - name: second
                  taskRef:
                    name: greet
                  params:
                    - name: who
                      value: $(tasks.first.results.said)
                  workspaces:
                    - name: data
                      workspace: data
              finally:
                - name: always
                  when:
                    - input: $(tasks.first.status)
                      operator: in
                      values: ["Failed"]
                  taskRef:
                    name: greet
                  params:
                    - name: who
                      value: $(tasks.status)
                  workspaces:
                    - name: data
                      workspace: data
            """;

    private static List<Finding> check(String... yaml) {
        return TektonReferenceCheck.check(ManifestFiles.parse(Path.of("test.yaml"), String.join("---\n", yaml)));
    }

    private static List<String> messages(List<Finding> findings) {
        return findings.stream().map(Finding::message).toList();
    }

    @Test
    void acceptsACorrectPipeline() {
        assertThat(check(TASK, GOOD_PIPELINE)).isEmpty();
    }

    @Test
    void reportsParamsTheTaskDoesNotDeclareAndRequiredOnesLeftOut() {
        String broken = GOOD_PIPELINE.replace(
                "- name: who\n          value: $(params.who)", "- name: whom\n          value: $(params.who)");
        assertThat(messages(check(TASK, broken)))
                .contains("passes param whom that the Task does not declare", "omits required param who");
    }

    @Test
    void reportsUndeclaredPipelineParamsResultsAndWorkspaces() {
        String broken = GOOD_PIPELINE
                .replace("value: $(params.who)", "value: $(params.nobody)")
                .replace("$(tasks.first.results.said)", "$(tasks.first.results.shouted)")
                .replaceFirst(Pattern.quote("workspace: data\n"), "workspace: elsewhere\n");
        assertThat(messages(check(TASK, broken)))
                .contains(
                        "$(params.nobody) is not a pipeline param",
                        "$(tasks.first.results.shouted): task first declares no result shouted",
                        "binds to pipeline workspace elsewhere, which is not declared");
    }

    @Test
    void reportsAnUnboundRequiredWorkspaceAndAMissingTask() {
        // The finally task's workspace binding is the last block of the pipeline: cut it off.
        String broken = GOOD_PIPELINE
                .substring(0, GOOD_PIPELINE.lastIndexOf("      workspaces:"))
                .replace(
                        "name: greet\n      params:\n        - name: who\n          value: $(tasks.status)",
                        "name: nowhere\n      params:\n        - name: who\n          value: $(tasks.status)");
        assertThat(messages(check(TASK, broken))).contains("taskRef nowhere names no Task in the checked files");
        String unbound = GOOD_PIPELINE.substring(0, GOOD_PIPELINE.lastIndexOf("      workspaces:"));
        assertThat(messages(check(TASK, unbound))).containsExactly("leaves required workspace data unbound");
    }

    @Test
    void reportsParamsInsideAScriptAndUndeclaredTaskReferences() {
        String broken = TASK.replace("""
                      env:
                """, """
                      script: |
                        echo "$(params.who)" > $(results.told.path)
                        ls $(workspaces.cache.path)
                      env:
                """);
        assertThat(messages(check(broken)))
                .contains(
                        "$(params…) inside a script: pass the value through env instead",
                        "$(results.told.path) is not a declared result",
                        "$(workspaces.cache.…) is not a declared workspace");
    }

    @Test
    void reportsCyclesAndStatusOutsideFinally() {
        String broken = GOOD_PIPELINE
                .replace("- name: first\n      taskRef:", "- name: first\n      runAfter: [second]\n      taskRef:")
                .replace("value: $(params.who)", "value: $(tasks.second.status)");
        assertThat(messages(check(TASK, broken)))
                .contains("$(tasks.second.status) is only allowed in finally")
                .anyMatch(m -> m.startsWith("tasks form a cycle: "));
    }

    @Test
    void checksPipelineRunsAgainstThePipelineTheyName() {
        String run = """
                apiVersion: tekton.dev/v1
                kind: PipelineRun
                metadata:
                  generateName: good-
                spec:
                  pipelineRef:
                    name: good
                  params:
                    - name: wh0
                      value: x
                """;
        assertThat(messages(check(TASK, GOOD_PIPELINE, run)))
                .containsExactly(
                        "passes param wh0 that the Pipeline does not declare",
                        "leaves pipeline workspace data unbound");
    }
}
