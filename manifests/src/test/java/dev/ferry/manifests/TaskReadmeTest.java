package dev.ferry.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.projectfiles.GeneratedBlock;
import dev.ferry.projectfiles.ManifestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A README's generated part is rendered from the Task, so a README that drifted is reported with the expected part. */
class TaskReadmeTest {

    private static final JsonNode TASK =
            ManifestFiles.parse(Path.of("task.yaml"), """
            apiVersion: tekton.dev/v1
            kind: Task
            metadata:
              name: greet
            spec:
              description: Greets someone.
              params:
                - name: who
                  description: Whom to greet | politely.
                - name: greeting
                  description: >-
                    What to say,
                    folded over two lines.
                  default: ""
              results:
                - name: said
                  description: What was said.
              workspaces:
                - name: data
                  description: Where to write.
                  optional: true
            """).get(0).spec();

    private static final String README = """
            # greet

            <!-- task:generated from the Task's YAML; update: ./mvnw test -Dferry.docs.update=true -->
            Greets someone.

            ## Parameters
            |name|description|default value|required|
            |---|---|---|---|
            |who|Whom to greet \\| politely.||true|
            |greeting|What to say, folded over two lines.|""|false|

            ## Results
            |name|description|
            |---|---|
            |said|What was said.|

            ## Workspaces
            |name|description|optional|
            |---|---|---|
            |data|Where to write.|true|
            <!-- task:end-generated -->

            Hand-written prose stays below.
            """;

    @Test
    void acceptsAReadmeWhoseTablesMatch() {
        assertThat(TaskReadme.check("README.md", TASK, README)).isEmpty();
    }

    @Test
    void reportsATableThatDriftedWithTheExpectedOne() {
        String drifted = README.replace("|said|What was said.|", "|said|What was shouted.|");
        assertThat(TaskReadme.check("README.md", TASK, drifted))
                .singleElement()
                .satisfies(f ->
                        assertThat(f.message()).contains("expected:\n<!-- task:generated", "|said|What was said.|"));
    }

    @Test
    void rewritesTheGeneratedPartAndKeepsTheProseWhenAskedTo(@TempDir Path folder) throws IOException {
        Path readme = folder.resolve("README.md");
        Files.writeString(readme, README.replace("|said|What was said.|", "|said|What was shouted.|"));
        System.setProperty(GeneratedBlock.UPDATE_PROPERTY, "true");
        try {
            assertThat(TaskReadme.checkFile(readme, TASK)).isEmpty();
        } finally {
            System.clearProperty(GeneratedBlock.UPDATE_PROPERTY);
        }
        assertThat(Files.readString(readme)).isEqualTo(README);
        assertThat(TaskReadme.checkFile(readme, TASK)).isEmpty();
    }
}
