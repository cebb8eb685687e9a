package dev.ferry.rehearsal.tekton;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.manifests.ManifestDocument;
import dev.ferry.manifests.ManifestFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The project's Tekton YAML as a cluster would get it: a Pipeline file, and the Task a
 * {@code taskRef} names from {@code tasks/tekton/<name>/<version>/<name>.yaml}.
 */
public final class TektonFiles {

    private final Path projectRoot;

    public TektonFiles(Path projectRoot) {
        this.projectRoot = projectRoot;
    }

    public Path projectRoot() {
        return projectRoot;
    }

    /** The Pipeline in {@code file} (relative to the project root, e.g. {@code pipelines/tekton/import.yaml}). */
    public ManifestDocument pipeline(String file) {
        return single(Path.of(file), "Pipeline");
    }

    /** The spec of the Task named {@code name}; there must be exactly one version of it, as a cluster holds one. */
    public JsonNode taskSpec(String name) {
        Path folder = projectRoot.resolve("tasks/tekton").resolve(name);
        List<Path> files;
        try (Stream<Path> versions = Files.list(folder)) {
            files = versions.map(version -> version.resolve(name + ".yaml"))
                    .filter(Files::isRegularFile)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("no Task " + name + " under " + folder, e);
        }
        if (files.size() != 1) {
            throw new IllegalStateException(
                    "Task " + name + " must have exactly one version folder here, found " + files);
        }
        ManifestDocument task = single(projectRoot.relativize(files.get(0)), "Task");
        if (!task.name().equals(name)) {
            throw new IllegalStateException(task.where() + " is not named " + name);
        }
        return task.spec();
    }

    private ManifestDocument single(Path file, String kind) {
        String yaml;
        try {
            yaml = Files.readString(projectRoot.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<ManifestDocument> documents =
                ManifestFiles.parse(file, yaml).stream().filter(d -> d.is(kind)).toList();
        if (documents.size() != 1) {
            throw new IllegalStateException(file + " must hold exactly one " + kind + ", found " + documents.size());
        }
        return documents.get(0);
    }
}
