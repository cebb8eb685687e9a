package dev.ferry.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code oc apply -k deploy/tekton} (and {@code deploy/argo}) installs everything: each kustomization names
 * files that exist, every Task, Pipeline and Argo template is included, and every Ferry image has a digest
 * override in {@code deploy/images}.
 */
class KustomizationsTest {

    private static final Pattern FERRY_IMAGE = Pattern.compile("(quay\\.io/ferry/ferry-[a-z-]+)@sha256:");

    private final Path root = Repository.root();

    @Test
    void everyPathAKustomizationNamesExists() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Path kustomization : kustomizations()) {
            JsonNode k = ManifestFiles.parse(root.relativize(kustomization), Files.readString(kustomization))
                    .get(0)
                    .node();
            List<String> paths = new ArrayList<>(Nodes.texts(k.path("resources")));
            paths.addAll(Nodes.texts(k.path("components")));
            paths.addAll(Nodes.texts(k.path("configurations")));
            for (JsonNode generator : Nodes.list(k.path("configMapGenerator"))) {
                paths.addAll(Nodes.texts(generator.path("files")));
            }
            for (String path : paths) {
                if (!Files.exists(kustomization.resolveSibling(path))) {
                    missing.add(root.relativize(kustomization) + " -> " + path);
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void theInstallsIncludeEveryTaskPipelineAndTemplate() throws IOException {
        assertThat(included(root.resolve("deploy/tekton")))
                .containsAll(yamlFiles("tasks/tekton", "ferry-.*/[0-9.]+/ferry-[a-z-]+\\.yaml"))
                .containsAll(List.of(
                        root.resolve("pipelines/tekton/export.yaml"),
                        root.resolve("pipelines/tekton/import.yaml"),
                        root.resolve("pipelines/tekton/rehearsal.yaml"),
                        root.resolve("pipelines/tekton/cutover.yaml")));
        assertThat(included(root.resolve("deploy/argo")))
                .containsAll(yamlFiles("tasks/argo", "[a-z-]+\\.yaml"))
                .containsAll(yamlFiles("pipelines/argo", "[a-z-]+\\.yaml"));
    }

    @Test
    void everyFerryImageHasADigestOverride() throws IOException {
        Set<String> used = new HashSet<>();
        for (ManifestDocument doc : Repository.documents()) {
            Matcher m = FERRY_IMAGE.matcher(String.join("\n", Nodes.strings(doc.node())));
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        Path images = root.resolve("deploy/images/kustomization.yaml");
        JsonNode k = ManifestFiles.parse(root.relativize(images), Files.readString(images))
                .get(0)
                .node();
        Set<String> overridden = new HashSet<>();
        Nodes.list(k.path("images")).forEach(i -> overridden.add(i.path("name").asText()));
        assertThat(used).hasSize(13);
        assertThat(overridden).containsAll(used);
    }

    /** Files a kustomization folder pulls in, following nested kustomization folders. */
    private Set<Path> included(Path folder) throws IOException {
        Set<Path> out = new HashSet<>();
        Path file = folder.resolve("kustomization.yaml");
        JsonNode k = ManifestFiles.parse(root.relativize(file), Files.readString(file))
                .get(0)
                .node();
        for (String resource : Nodes.texts(k.path("resources"))) {
            Path target = folder.resolve(resource).normalize();
            if (Files.isDirectory(target)) {
                out.addAll(included(target));
            } else {
                out.add(target);
            }
        }
        return out;
    }

    private List<Path> yamlFiles(String folder, String relativePattern) throws IOException {
        Path dir = root.resolve(folder);
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> found = files.filter(f -> dir.relativize(f).toString().matches(relativePattern))
                    .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
                    .map(Path::normalize)
                    .toList();
            assertThat(found).as("YAML files in " + folder).isNotEmpty();
            return found;
        }
    }

    private List<Path> kustomizations() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String folder : List.of("deploy", "tasks", "pipelines")) {
            try (Stream<Path> files = Files.walk(root.resolve(folder))) {
                files.filter(f -> f.getFileName().toString().equals("kustomization.yaml"))
                        .forEach(out::add);
            }
        }
        assertThat(out).hasSizeGreaterThanOrEqualTo(7);
        return out;
    }
}
