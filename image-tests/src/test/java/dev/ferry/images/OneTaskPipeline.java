package dev.ferry.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.harness.TektonFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Pipeline of one pipeline task that runs a catalog Task with given params, as {@code tkn task start} would: the
 * harness runs Pipelines, and a Task started on its own is a TaskRun all the same. Each workspace the Task declares is
 * bound to the pipeline workspace of the same name.
 */
final class OneTaskPipeline {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OneTaskPipeline() {}

    /**
     * Writes the Pipeline (JSON, which is YAML) into {@code folder}.
     *
     * @param task the Task's name, e.g. {@code ferry-follow-preflight}; its pipeline task is named without "ferry-"
     * @return the file, absolute, as {@code PipelineRunner.run} takes it
     */
    static Path write(TektonFiles files, String task, Map<String, String> params, String timeout, Path folder)
            throws IOException {
        ObjectNode pipeline = JSON.createObjectNode();
        pipeline.put("apiVersion", "tekton.dev/v1").put("kind", "Pipeline");
        pipeline.putObject("metadata").put("name", "run-" + task);
        ObjectNode spec = pipeline.putObject("spec");
        ArrayNode workspaces = spec.putArray("workspaces");
        ObjectNode pipelineTask = spec.putArray("tasks").addObject();
        pipelineTask.put("name", task.replaceFirst("^ferry-", "")).put("timeout", timeout);
        pipelineTask.putObject("taskRef").put("name", task);
        ArrayNode taskParams = pipelineTask.putArray("params");
        params.forEach((name, value) -> taskParams.addObject().put("name", name).put("value", value));
        ArrayNode taskWorkspaces = pipelineTask.putArray("workspaces");
        for (JsonNode workspace : files.taskSpec(task).path("workspaces")) {
            String name = workspace.path("name").asText();
            workspaces.addObject().put("name", name);
            taskWorkspaces.addObject().put("name", name).put("workspace", name);
        }
        Path file = folder.resolve("run-" + task + ".yaml").toAbsolutePath();
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(pipeline));
        return file;
    }
}
