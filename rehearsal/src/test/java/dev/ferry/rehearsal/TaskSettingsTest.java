package dev.ferry.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.alembicrun.AlembicRunCommand;
import dev.ferry.download.DownloadCommand;
import dev.ferry.dump.DumpCommand;
import dev.ferry.follow.abandon.FollowAbandonCommand;
import dev.ferry.follow.apply.FollowApplyCommand;
import dev.ferry.follow.capture.FollowCaptureCommand;
import dev.ferry.follow.cutover.FollowCutoverCommand;
import dev.ferry.follow.preflight.FollowPreflightCommand;
import dev.ferry.freeze.FreezeCommand;
import dev.ferry.manifests.ManifestDocument;
import dev.ferry.manifests.ManifestFiles;
import dev.ferry.manifests.Nodes;
import dev.ferry.restore.RestoreCommand;
import dev.ferry.scaleup.ScaleUpCommand;
import dev.ferry.testing.ConfigDocs;
import dev.ferry.upload.UploadCommand;
import dev.ferry.validate.ValidateCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every env var a Tekton Task or an Argo template hands its step program is one the program's
 * {@code @ConfigMapping}s read: a misspelt name would otherwise be ignored without a word.
 */
class TaskSettingsTest {

    /** Each step program's command, whose injected mappings are what it reads. */
    static final Map<String, Class<?>> COMMANDS = Map.of(
            "freeze",
            FreezeCommand.class,
            "dump",
            DumpCommand.class,
            "upload",
            UploadCommand.class,
            "download",
            DownloadCommand.class,
            "restore",
            RestoreCommand.class,
            "validate",
            ValidateCommand.class,
            "alembic-run",
            AlembicRunCommand.class,
            "scale-up",
            ScaleUpCommand.class);

    /** Follow mode's step programs: not (yet) part of the migration the top README's settings section walks through. */
    static final Map<String, Class<?>> FOLLOW_COMMANDS = Map.of(
            "follow-preflight", FollowPreflightCommand.class,
            "follow-capture", FollowCaptureCommand.class,
            "follow-apply", FollowApplyCommand.class,
            "follow-abandon", FollowAbandonCommand.class,
            "follow-cutover", FollowCutoverCommand.class);

    /** Set for the container itself, or read by libraries below the step: not the step's own configuration. */
    private static final Set<String> NOT_STEP_SETTINGS = Set.of("HOME", "KUBECONFIG", "JAVA_OPTS", "JAVA_TOOL_OPTIONS");

    @Test
    void everyEnvVarATaskOrTemplateSetsIsReadByItsStep() {
        List<ManifestDocument> documents =
                ManifestFiles.load(ConfigDocs.repositoryRoot(), List.of("tasks", "pipelines"));
        List<String> unread = new ArrayList<>();
        int checked = 0;
        for (ManifestDocument doc : documents) {
            if (doc.isTekton() && doc.is("Task")) {
                for (JsonNode container : Nodes.list(doc.spec().path("steps"))) {
                    // A step runs the program its image names (capture's Task arms its guard with follow-abandon's).
                    String step = container
                            .path("image")
                            .asText()
                            .replaceFirst("^.*/ferry-", "")
                            .replaceFirst("[@:].*$", "");
                    checked += check(step, doc.where(), container.path("env"), unread);
                }
            } else if (doc.isArgo() && doc.is("WorkflowTemplate") && doc.name().equals("ferry-steps")) {
                for (JsonNode template : Nodes.list(doc.spec().path("templates"))) {
                    checked += check(
                            template.path("name").asText(),
                            doc.where(),
                            template.path("container").path("env"),
                            unread);
                }
            }
        }
        assertThat(checked).as("env vars checked").isGreaterThan(50);
        assertThat(unread).isEmpty();
    }

    private static int check(String step, String where, JsonNode env, List<String> unread) {
        Class<?> command = COMMANDS.getOrDefault(step, FOLLOW_COMMANDS.get(step));
        if (command == null) {
            return 0;
        }
        List<String> read = ConfigDocs.envVarsOf(command);
        int checked = 0;
        for (String name : Nodes.names(env)) {
            checked++;
            if (!NOT_STEP_SETTINGS.contains(name) && !read.contains(name)) {
                unread.add(
                        where + ": " + name + " is not read by steps/" + step + " (" + command.getSimpleName() + ")");
            }
        }
        return checked;
    }
}
