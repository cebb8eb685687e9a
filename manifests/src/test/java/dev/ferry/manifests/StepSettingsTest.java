package dev.ferry.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every setting a Task or Argo template hands its step program is one the program documents (and so reads):
 * a misspelt env var would otherwise be ignored without a word. Checked against each step's README table,
 * for the steps whose module is in this checkout.
 */
class StepSettingsTest {

    /** Set for the container itself, not for the step program's configuration. */
    private static final Set<String> NOT_STEP_SETTINGS = Set.of("HOME");

    @Test
    void everyEnvVarATaskSetsIsDocumentedByItsStep() throws IOException {
        Path root = Repository.root();
        List<String> undocumented = new ArrayList<>();
        for (ManifestDocument doc : Repository.documents()) {
            if (doc.isTekton() && doc.is("Task")) {
                String step = doc.name().replaceFirst("^ferry-", "");
                for (JsonNode container : Nodes.list(doc.spec().path("steps"))) {
                    check(root, step, doc.where(), container.path("env"), undocumented);
                }
            } else if (doc.isArgo() && doc.is("WorkflowTemplate") && doc.name().equals("ferry-steps")) {
                for (JsonNode template : Nodes.list(doc.spec().path("templates"))) {
                    check(root, template.path("name").asText(), doc.where(), template.path("container").path("env"),
                            undocumented);
                }
            }
        }
        assertThat(undocumented).isEmpty();
    }

    private static void check(Path root, String step, String where, JsonNode env, List<String> undocumented)
            throws IOException {
        Path readme = root.resolve("steps").resolve(step).resolve("README.md");
        if (!Files.exists(readme)) {
            // The step module is not in this checkout (it is written on another branch): nothing to compare.
            return;
        }
        String text = Files.readString(readme);
        for (String name : Nodes.names(env)) {
            if (!NOT_STEP_SETTINGS.contains(name) && !text.contains("`" + name + "`")) {
                undocumented.add(where + ": " + name + " is not a setting of steps/" + step);
            }
        }
    }
}
