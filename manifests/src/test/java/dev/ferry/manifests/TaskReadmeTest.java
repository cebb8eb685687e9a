package dev.ferry.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** README tables are rendered from the Task, so a README that drifted is reported with the expected table. */
class TaskReadmeTest {

    private static final JsonNode TASK =
            ManifestFiles.parse(Path.of("task.yaml"), """
            apiVersion: tekton.dev/v1
            kind: Task
            metadata:
              name: greet
            spec:
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
                .satisfies(f -> assertThat(f.message()).contains("expected:\n## Results", "|said|What was said.|"));
    }
}
