package dev.ferry.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ferry.projectfiles.ManifestDocument;
import dev.ferry.projectfiles.ManifestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The files a user copies into their GitOps repository to drive a cutover from CI (examples/ci) parse, and name
 * only Pipelines, params and results that exist: the Pipelines-as-Code PipelineRuns name an installed Pipeline and
 * its params (the reference check), and every {@code ferry-ci-run <file> <result …>} in the GitHub Actions workflow
 * and the GitLab CI jobs names such a PipelineRun file and results that Pipeline declares.
 */
class CiExamplesTest {

    private static final Path CI = Path.of("examples/ci");
    private static final List<String> WORKFLOWS = List.of(".github/workflows/ferry.yml", ".gitlab-ci.yml");
    private static final Pattern INVOCATION = Pattern.compile("ferry/ferry-ci-run\\s+(\\S+)((?:\\s+[a-z][\\w-]*)*)");

    private final Path root = Repository.root();
    private final List<ManifestDocument> documents = Repository.documents();

    @Test
    void thePipelinesAsCodeRunsStartOnTheirCommentAndNameInstalledPipelines() {
        List<ManifestDocument> runs = documents.stream()
                .filter(d -> d.file().startsWith(CI) && d.isTekton() && d.is("PipelineRun"))
                .toList();
        assertThat(runs)
                .extracting(d -> d.node()
                        .path("metadata")
                        .path("annotations")
                        .path("pipelinesascode.tekton.dev/on-comment")
                        .asText())
                .containsExactlyInAnyOrder("^/ferry rehearse$", "^/ferry cutover$");
        assertThat(runs).allSatisfy(run -> assertThat(pipelineNames()).contains(pipelineOf(run)));
        List<Finding> findings = TektonReferenceCheck.check(documents).stream()
                .filter(f -> f.where().contains(CI.toString()))
                .toList();
        assertThat(findings).isEmpty();
    }

    @Test
    void theWorkflowsParseAndNameOnlyPipelineRunsAndResultsThatExist() throws IOException {
        int invocations = 0;
        for (String workflow : WORKFLOWS) {
            Path file = root.resolve(CI).resolve(workflow);
            JsonNode yaml = new YAMLMapper().readTree(Files.readString(file));
            assertThat(yaml.isObject()).as(workflow + " is a YAML mapping").isTrue();
            List<String> commands = new ArrayList<>();
            collectStrings(yaml, commands);
            Set<String> flows = new HashSet<>();
            for (String command : commands) {
                Matcher m = INVOCATION.matcher(command);
                while (m.find()) {
                    invocations++;
                    Path runFile = root.resolve(CI).resolve(m.group(1));
                    assertThat(runFile).as(workflow + " names " + m.group(1)).isRegularFile();
                    ManifestDocument run = ManifestFiles.parse(root.relativize(runFile), Files.readString(runFile))
                            .get(0);
                    assertThat(run.is("PipelineRun")).isTrue();
                    JsonNode pipeline = pipelineSpec(pipelineOf(run));
                    Set<String> declared = Nodes.names(pipeline.path("results"));
                    List<String> named = List.of(m.group(2).strip().split("\\s+"));
                    assertThat(declared)
                            .as(workflow + ": results of " + pipelineOf(run))
                            .containsAll(named);
                    flows.add(pipelineOf(run));
                }
            }
            assertThat(flows).as(workflow).containsExactlyInAnyOrder("ferry-rehearsal", "ferry-cutover");
        }
        assertThat(invocations).isEqualTo(4);
    }

    @Test
    void theRunnerScriptMapsEveryOutcomeToAnExitCode() throws IOException {
        String script = Files.readString(root.resolve(CI).resolve("ferry/ferry-ci-run"));
        assertThat(Files.isExecutable(root.resolve(CI).resolve("ferry/ferry-ci-run")))
                .isTrue();
        assertThat(script)
                .contains("create -f \"$file\"", "PipelineRunTimeout) exit 5", "exit 143", "terminated.exitCode");
    }

    private Set<String> pipelineNames() {
        return documents.stream()
                .filter(d -> d.isTekton() && d.is("Pipeline"))
                .map(ManifestDocument::name)
                .collect(Collectors.toSet());
    }

    private JsonNode pipelineSpec(String name) {
        return documents.stream()
                .filter(d -> d.isTekton() && d.is("Pipeline") && d.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Pipeline " + name))
                .spec();
    }

    private static String pipelineOf(ManifestDocument run) {
        return run.spec().path("pipelineRef").path("name").asText();
    }

    private static void collectStrings(JsonNode node, List<String> out) {
        if (node.isTextual()) {
            out.add(node.asText());
        }
        // Values of a mapping and items of a sequence alike.
        node.forEach(child -> collectStrings(child, out));
    }
}
