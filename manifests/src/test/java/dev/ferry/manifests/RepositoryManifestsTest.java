package dev.ferry.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The YAML users apply: every reference resolves and every task README matches its Task. */
class RepositoryManifestsTest {

    private final List<ManifestDocument> documents = Repository.documents();

    @Test
    void loadsTheWholeLibrary() {
        assertThat(documents.stream().filter(d -> d.isTekton() && d.is("Task")).map(ManifestDocument::name))
                .containsExactlyInAnyOrder(
                        "ferry-freeze",
                        "ferry-dump",
                        "ferry-upload",
                        "ferry-download",
                        "ferry-restore",
                        "ferry-validate",
                        "ferry-alembic-run",
                        "ferry-scale-up",
                        "ferry-follow-preflight",
                        "ferry-follow-capture",
                        "ferry-follow-apply",
                        "ferry-follow-abandon",
                        "ferry-follow-cutover");
        assertThat(documents.stream()
                        .filter(d -> d.isTekton() && d.is("Pipeline"))
                        .map(ManifestDocument::name))
                .containsExactlyInAnyOrder("ferry-export", "ferry-import", "ferry-rehearsal", "ferry-cutover");
        assertThat(documents.stream()
                        .filter(d -> d.isArgo() && d.is("WorkflowTemplate"))
                        .map(ManifestDocument::name))
                .containsExactlyInAnyOrder(
                        "ferry-steps", "ferry-export", "ferry-import", "ferry-rehearsal", "ferry-cutover");
        assertThat(documents.stream().filter(d -> d.isArgo() && d.is("CronWorkflow")))
                .hasSize(1);
        assertThat(documents.stream()
                        .filter(d -> d.isTekton() && d.is("PipelineRun"))
                        .map(ManifestDocument::file)
                        .map(Path::toString))
                .anyMatch(f -> f.startsWith(".tekton/"))
                .anyMatch(f -> f.contains("samples/"));
    }

    @Test
    void everyTektonReferenceResolves() {
        assertThat(TektonReferenceCheck.check(documents)).isEmpty();
    }

    @Test
    void everyArgoReferenceResolves() {
        assertThat(ArgoReferenceCheck.check(documents)).isEmpty();
    }

    @Test
    void everyTaskReadmeMatchesItsYaml() {
        List<Finding> findings = new ArrayList<>();
        int checked = 0;
        for (ManifestDocument task : documents) {
            if (!(task.isTekton() && task.is("Task"))) {
                continue;
            }
            Path readme = Repository.root().resolve(task.file()).resolveSibling("README.md");
            assertThat(readme).as("README beside " + task.file()).exists();
            findings.addAll(TaskReadme.checkFile(readme, task.spec()));
            checked++;
        }
        assertThat(checked).isEqualTo(13);
        assertThat(findings).isEmpty();
    }
}
