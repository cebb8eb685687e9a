package dev.ferry.harness;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.projectfiles.ManifestDocument;
import dev.ferry.projectfiles.ManifestFiles;
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

    /** The PipelineRun in {@code file} (relative to the project root), e.g. a Pipelines-as-Code one. */
    public ManifestDocument pipelineRun(String file) {
        return single(Path.of(file), "PipelineRun");
    }

    /**
     * The file under {@code pipelines/tekton} that holds the Pipeline named {@code name}, relative to the project
     * root: what a {@code pipelineRef} resolves to on a cluster where Ferry is installed.
     */
    public String pipelineFile(String name) {
        Path folder = projectRoot.resolve("pipelines/tekton");
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> matching = files.filter(f -> f.getFileName().toString().endsWith(".yaml"))
                    .filter(f -> ManifestFiles.parse(projectRoot.relativize(f), read(f)).stream()
                            .anyMatch(d -> d.is("Pipeline") && d.name().equals(name)))
                    .toList();
            if (matching.size() != 1) {
                throw new IllegalStateException(
                        "exactly one Pipeline " + name + " expected under " + folder + ", found " + matching);
            }
            return projectRoot.relativize(matching.get(0)).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
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
