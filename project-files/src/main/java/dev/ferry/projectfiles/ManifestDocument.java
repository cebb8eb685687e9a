package dev.ferry.projectfiles;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/** One YAML document of a manifest file, with the file it came from so findings can point at it. */
public record ManifestDocument(Path file, JsonNode node) {

    public String apiVersion() {
        return node.path("apiVersion").asText("");
    }

    public String kind() {
        return node.path("kind").asText("");
    }

    public String name() {
        JsonNode metadata = node.path("metadata");
        return metadata.path("name").asText(metadata.path("generateName").asText(""));
    }

    public JsonNode spec() {
        return node.path("spec");
    }

    public boolean isTekton() {
        return apiVersion().startsWith("tekton.dev/");
    }

    public boolean isArgo() {
        return apiVersion().startsWith("argoproj.io/");
    }

    public boolean is(String kind) {
        return kind().equals(kind);
    }

    /** {@code file: Kind/name}, the prefix of every finding about this document. */
    public String where() {
        return file + ": " + kind() + "/" + name();
    }
}
