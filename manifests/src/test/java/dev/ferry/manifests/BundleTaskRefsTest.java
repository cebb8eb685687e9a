package dev.ferry.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.projectfiles.ManifestFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hack/bundle-taskrefs.sh, which .tekton/push.yaml runs before pushing each Pipeline bundle, run on the real
 * Pipelines: afterwards every Task is resolved from its own bundle by digest (Tekton's bundles resolver), so the
 * Pipeline bundle works in a namespace where no Ferry Task is installed, and nothing else in the Pipeline changed.
 */
class BundleTaskRefsTest {

    private final Path root = Repository.root();

    @TempDir
    Path work;

    @Test
    void every_pipeline_resolves_each_task_from_its_bundle_and_nothing_else_changes() throws Exception {
        Map<String, String> bundles = new LinkedHashMap<>();
        try (var tasks = Files.list(root.resolve("tasks/tekton"))) {
            tasks.filter(Files::isDirectory)
                    .map(dir -> dir.getFileName().toString())
                    .forEach(task -> bundles.put(
                            task, "quay.io/ferry/tekton-bundles:task-" + task + "-0.1@sha256:" + "ab".repeat(32)));
        }
        List<String> mappings = new ArrayList<>();
        bundles.forEach((task, ref) -> mappings.add(task + "=" + ref));

        for (String name : List.of("export", "import", "rehearsal", "cutover")) {
            Path original = root.resolve("pipelines/tekton/" + name + ".yaml");
            Path bundled = work.resolve(name + ".yaml");
            Files.copy(original, bundled);

            Process script = run(bundled, mappings);
            assertThat(script.waitFor()).as(name + ": " + output(script)).isZero();

            JsonNode before = parse(original);
            JsonNode after = parse(bundled);
            int rewritten = 0;
            for (String section : List.of("tasks", "finally")) {
                for (JsonNode task : after.path("spec").path(section)) {
                    JsonNode ref = task.path("taskRef");
                    if (ref.isMissingNode()) {
                        continue;
                    }
                    assertThat(ref.has("name"))
                            .as(name + ": " + task.path("name"))
                            .isFalse();
                    assertThat(ref.path("resolver").asText()).isEqualTo("bundles");
                    String taskName = param(ref, "name");
                    assertThat(param(ref, "bundle")).isEqualTo(bundles.get(taskName));
                    assertThat(param(ref, "kind")).isEqualTo("task");
                    // Back to the plain name: the rest of the Pipeline must be exactly what it was.
                    ((ObjectNode) task)
                            .set("taskRef", ((ObjectNode) ref).objectNode().put("name", taskName));
                    rewritten++;
                }
            }
            assertThat(rewritten).as(name).isPositive();
            assertThat(after).as(name + " apart from its taskRefs").isEqualTo(before);
        }
    }

    @Test
    void a_task_without_a_bundle_fails_the_push_naming_it() throws Exception {
        Path bundled = work.resolve("export.yaml");
        Files.copy(root.resolve("pipelines/tekton/export.yaml"), bundled);

        Process script = run(bundled, List.of("ferry-dump=quay.io/ferry/tekton-bundles:task-ferry-dump-0.1@sha256:00"));

        assertThat(script.waitFor()).isEqualTo(1);
        assertThat(output(script))
                .contains("still refers by name to:")
                .contains("ferry-upload")
                .contains("ferry-freeze");
    }

    private Process run(Path pipeline, List<String> mappings) throws IOException {
        List<String> command = new ArrayList<>(
                List.of("bash", root.resolve("hack/bundle-taskrefs.sh").toString(), pipeline.toString()));
        command.addAll(mappings);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static String output(Process process) throws IOException {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static JsonNode parse(Path file) throws IOException {
        return ManifestFiles.parse(file, Files.readString(file)).get(0).node();
    }

    private static String param(JsonNode ref, String name) {
        for (JsonNode param : ref.path("params")) {
            if (param.path("name").asText().equals(name)) {
                return param.path("value").asText();
            }
        }
        return null;
    }
}
