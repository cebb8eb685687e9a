package dev.ferry.manifests;

import dev.ferry.projectfiles.ManifestDocument;
import dev.ferry.projectfiles.ManifestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The repository the tests run in, and every Tekton/Argo document in it. */
final class Repository {

    static final List<String> MANIFEST_FOLDERS = List.of("tasks", "pipelines", ".tekton", "deploy", "examples");

    private Repository() {}

    /** The checkout root: the nearest folder upwards that holds the Maven wrapper. */
    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no mvnw above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static List<ManifestDocument> documents() {
        return ManifestFiles.load(root(), MANIFEST_FOLDERS);
    }
}
