package dev.ferry.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The tektoncd/catalog and Konflux conventions Ferry's Tasks, Pipelines and Argo templates promise: catalog
 * metadata, pinned images, resources, non-root without a fixed UID, a writable HOME, and a Start dialog
 * where every param explains itself.
 */
class CatalogConventionsTest {

    /** Params a user must choose: no default could be right (the Onyx release being deployed, the other cluster's Secret). */
    private static final Set<String> REQUIRED_PIPELINE_PARAMS = Set.of("alembic-image", "source-postgres-secret");

    private final List<ManifestDocument> documents = Repository.documents();

    private List<ManifestDocument> ours(String kind) {
        return documents.stream()
                .filter(d -> d.isTekton() && d.is(kind) && !d.file().startsWith(".tekton"))
                .toList();
    }

    @Test
    void tasksCarryCatalogMetadataMatchingTheirFolder() {
        assertThat(ours("Task")).isNotEmpty().allSatisfy(task -> {
            JsonNode metadata = task.node().path("metadata");
            String folderVersion = task.file().getParent().getFileName().toString();
            assertThat(task.file().getParent().getParent().getFileName().toString())
                    .isEqualTo(task.name());
            assertThat(metadata.path("labels").path("app.kubernetes.io/version").asText())
                    .isEqualTo(folderVersion);
            for (String annotation : List.of(
                    "tekton.dev/pipelines.minVersion",
                    "tekton.dev/categories",
                    "tekton.dev/tags",
                    "tekton.dev/displayName",
                    "tekton.dev/platforms")) {
                assertThat(metadata.path("annotations").path(annotation).asText())
                        .as(task.name() + " " + annotation)
                        .isNotBlank();
            }
            String description = task.spec().path("description").asText();
            assertThat(description.lines().findFirst().orElse(""))
                    .as(task.name() + " summary line")
                    .endsWith(".");
        });
    }

    @Test
    void stepsArePinnedBoundedNonRootAndScriptFree() {
        assertThat(ours("Task")).isNotEmpty().allSatisfy(task -> {
            for (JsonNode step : Nodes.list(task.spec().path("steps"))) {
                String label = task.name() + " step " + step.path("name").asText();
                assertThat(step.path("image").asText()).as(label).contains("@sha256:");
                assertThat(step.has("script")).as(label + " has a script").isFalse();
                assertThat(step.path("computeResources")
                                .path("requests")
                                .path("memory")
                                .asText())
                        .as(label)
                        .isNotBlank();
                assertThat(step.path("computeResources")
                                .path("limits")
                                .path("memory")
                                .asText())
                        .as(label)
                        .isNotBlank();
                JsonNode security = step.path("securityContext");
                assertThat(security.path("runAsNonRoot").asBoolean()).as(label).isTrue();
                assertThat(security.has("runAsUser")).as(label + " fixes a UID").isFalse();
                assertThat(security.path("allowPrivilegeEscalation").asBoolean(true))
                        .as(label)
                        .isFalse();
                assertThat(Nodes.names(step.path("env")))
                        .as(label)
                        .contains("HOME", "FERRY_WORKDIR", "FERRY_RESULTS_DIR");
                // The image writes only HOME, /tmp and the workspace; the jobs defaults count the CPU limit.
                assertThat(security.path("readOnlyRootFilesystem").asBoolean())
                        .as(label)
                        .isTrue();
                assertThat(security.path("capabilities").path("drop").toString())
                        .as(label)
                        .isEqualTo("[\"ALL\"]");
                assertThat(step.path("computeResources")
                                .path("limits")
                                .path("cpu")
                                .asText())
                        .as(label)
                        .isNotBlank();
                List<String> emptyDirs = new ArrayList<>();
                task.spec().path("volumes").forEach(volume -> {
                    if (volume.has("emptyDir")) {
                        emptyDirs.add(volume.path("name").asText());
                    }
                });
                List<String> emptyDirMounts = new ArrayList<>();
                step.path("volumeMounts").forEach(mount -> {
                    if (emptyDirs.contains(mount.path("name").asText())) {
                        emptyDirMounts.add(mount.path("mountPath").asText());
                    }
                });
                assertThat(emptyDirMounts).as(label).contains("/tmp", "/home/ferry");
            }
        });
    }

    @Test
    void credentialsComeFromSecretsNeverFromParams() {
        List<String> violations = new ArrayList<>();
        for (ManifestDocument task : ours("Task")) {
            for (JsonNode step : Nodes.list(task.spec().path("steps"))) {
                for (JsonNode env : Nodes.list(step.path("env"))) {
                    String name = env.path("name").asText();
                    // FERRY_ALEMBIC_SECRET_PASSWORD_KEY names a key of a Secret; the password itself never passes.
                    boolean credential = (name.contains("PASSWORD") || name.equals("AWS_SECRET_ACCESS_KEY"))
                            && !name.endsWith("_PASSWORD_KEY");
                    if (credential && !env.path("valueFrom").has("secretKeyRef")) {
                        violations.add(task.name() + " " + name + " is not read from a Secret");
                    }
                }
            }
            Nodes.names(task.spec().path("params")).stream()
                    .filter(p -> (p.contains("password") || p.contains("secret-access")) && !p.endsWith("-key"))
                    .forEach(p -> violations.add(task.name() + " takes a credential as param " + p));
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void everyPipelineParamExplainsItselfAndHasADefault() {
        assertThat(ours("Pipeline")).isNotEmpty().allSatisfy(pipeline -> {
            for (JsonNode param : Nodes.list(pipeline.spec().path("params"))) {
                String label = pipeline.name() + " param " + param.path("name").asText();
                assertThat(param.path("description").asText()).as(label).isNotBlank();
                if (!REQUIRED_PIPELINE_PARAMS.contains(param.path("name").asText())) {
                    assertThat(param.has("default"))
                            .as(label + " has a default")
                            .isTrue();
                }
            }
            assertThat(Nodes.list(pipeline.spec().path("workspaces")))
                    .singleElement()
                    .satisfies(ws ->
                            assertThat(ws.path("description").asText()).contains("VolumeClaimTemplate", "emptyDir"));
            for (JsonNode task : Nodes.list(pipeline.spec().path("tasks"))) {
                assertThat(task.path("timeout").asText())
                        .as(pipeline.name() + " task " + task.path("name").asText())
                        .isNotBlank();
            }
        });
    }

    /**
     * The OpenShift console's Start dialog shows a Pipeline's descriptions as plain text (openshift/console, pipelines
     * plugin): Markdown's backticks would show as they are.
     */
    @Test
    void pipelineDescriptionsReadAsPlainText() {
        ours("Pipeline").forEach(pipeline -> {
            assertThat(pipeline.spec().path("description").asText())
                    .as(pipeline.name())
                    .doesNotContain("`");
            for (String list : List.of("params", "workspaces", "results")) {
                for (JsonNode item : Nodes.list(pipeline.spec().path(list))) {
                    assertThat(item.path("description").asText())
                            .as(pipeline.name() + " " + list + " "
                                    + item.path("name").asText())
                            .doesNotContain("`");
                }
            }
        });
    }

    /**
     * Unfreeze in finally, decided by the status of the task whose success keeps the writers frozen (export's
     * upload, cutover's scale-up), never by $(tasks.status): a run stopped from the console reads Completed there.
     */
    @Test
    void pipelinesThatFreezeUnfreezeInFinallyUnlessTheirLastTaskSucceeded() {
        for (Map.Entry<String, String> pipeline : Map.of(
                        "ferry-export", "$(tasks.upload.status)", "ferry-cutover", "$(tasks.scale-up.status)")
                .entrySet()) {
            JsonNode spec = ours("Pipeline").stream()
                    .filter(p -> p.name().equals(pipeline.getKey()))
                    .findFirst()
                    .orElseThrow()
                    .spec();
            assertThat(Nodes.byName(spec.path("finally"))).containsKey("unfreeze");
            JsonNode unfreeze = Nodes.byName(spec.path("finally")).get("unfreeze");
            assertThat(unfreeze.path("taskRef").path("name").asText()).isEqualTo("ferry-scale-up");
            assertThat(Nodes.strings(unfreeze.path("when")))
                    .as(pipeline.getKey())
                    .contains(pipeline.getValue())
                    .doesNotContain("$(tasks.status)");
        }
    }

    @Test
    void nothingMigratesOrScalesUpUnlessValidatePassed() {
        for (String name : List.of("ferry-import", "ferry-cutover")) {
            JsonNode spec = ours("Pipeline").stream()
                    .filter(p -> p.name().equals(name))
                    .findFirst()
                    .orElseThrow()
                    .spec();
            JsonNode alembic = Nodes.byName(spec.path("tasks")).get("alembic-run");
            assertThat(Nodes.strings(alembic.path("when"))).contains("$(tasks.validate.results.verdict)", "passed");
            assertThat(Nodes.texts(alembic.path("runAfter"))).containsExactly("validate");
            JsonNode scaleUp = Nodes.byName(spec.path("tasks")).get("scale-up");
            assertThat(Nodes.texts(scaleUp.path("runAfter"))).containsExactly("alembic-run");
            // Its own guard: alembic-run skipped by its when does not skip its runAfter children.
            assertThat(Nodes.strings(scaleUp.path("when"))).contains("$(tasks.validate.results.verdict)", "passed");
        }
    }

    @Test
    void argoStepTemplatesArePinnedBoundedAndNonRoot() {
        ManifestDocument library = documents.stream()
                .filter(d -> d.isArgo() && d.is("WorkflowTemplate") && d.name().equals("ferry-steps"))
                .findFirst()
                .orElseThrow();
        assertThat(Nodes.list(library.spec().path("templates"))).hasSize(13).allSatisfy(template -> {
            JsonNode container = template.path("container");
            String label = template.path("name").asText();
            assertThat(container.path("image").asText()).as(label).contains("@sha256:");
            assertThat(container.path("resources").path("limits").path("memory").asText())
                    .as(label)
                    .isNotBlank();
            assertThat(container.path("securityContext").path("runAsNonRoot").asBoolean())
                    .as(label)
                    .isTrue();
            assertThat(container.path("securityContext").has("runAsUser"))
                    .as(label)
                    .isFalse();
        });
    }

    /**
     * Argo keeps only the outputs a template declares, as Tekton keeps only declared results: each step template
     * outputs every result its Tekton Task declares (which the pipeline tests prove cover everything the step writes,
     * ExportImportPipelinesIT), read from the file the step writes it to.
     */
    @Test
    void argoStepTemplatesOutputEveryResultTheirTektonTaskDeclares() {
        ManifestDocument library = documents.stream()
                .filter(d -> d.isArgo() && d.is("WorkflowTemplate") && d.name().equals("ferry-steps"))
                .findFirst()
                .orElseThrow();
        List<ManifestDocument> tasks = documents.stream()
                .filter(d -> d.isTekton() && d.is("Task") && d.name().startsWith("ferry-"))
                .toList();
        assertThat(tasks).hasSize(13);
        for (ManifestDocument task : tasks) {
            String step = task.name().substring("ferry-".length());
            JsonNode template = Nodes.list(library.spec().path("templates")).stream()
                    .filter(t -> t.path("name").asText().equals(step))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no Argo template " + step));
            java.util.Map<String, String> outputs = new java.util.HashMap<>();
            for (JsonNode output : template.path("outputs").path("parameters")) {
                outputs.put(
                        output.path("name").asText(),
                        output.path("valueFrom").path("path").asText());
            }
            for (JsonNode result : task.spec().path("results")) {
                String name = result.path("name").asText();
                assertThat(outputs).as(step + " outputs " + name).containsEntry(name, "/tmp/ferry-results/" + name);
            }
        }
    }
}
