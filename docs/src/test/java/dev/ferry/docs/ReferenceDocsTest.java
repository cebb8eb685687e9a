package dev.ferry.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.ConfigDocs;
import org.junit.jupiter.api.Test;

/**
 * Every reference page under docs/reference is generated from where its facts live and fails the build when it is
 * stale; {@code ./mvnw -pl docs test -Dferry.docs.update=true} rewrites the generated blocks (the prose around
 * them is hand-written and kept).
 */
class ReferenceDocsTest {

    @Test
    void settingsAreTheOnesTheStepsMappingsDeclare() {
        assertThat(ConfigDocs.checkGenerated(Reference.docs("reference/settings.md"), SettingsReference.generate()))
                .isEmpty();
    }

    @Test
    void exitCodesAreTheExitCodeEnum() {
        assertThat(Reference.block("exit-codes", "dev.ferry.core.ExitCode")
                        .check(Reference.docs("reference/exit-codes.md"), ExitCodeReference.generate()))
                .isEmpty();
    }

    @Test
    void pipelinesAreTheirYaml() {
        assertThat(Reference.block("pipelines", "pipelines/tekton/*.yaml")
                        .check(Reference.docs("reference/pipelines.md"), PipelineReference.pipelines()))
                .isEmpty();
    }

    @Test
    void tasksAreTheirYaml() {
        assertThat(Reference.block("tasks", "tasks/tekton/*/*/*.yaml")
                        .check(Reference.docs("reference/tasks.md"), PipelineReference.tasks()))
                .isEmpty();
    }

    @Test
    void rbacIsTheRolesInDeploy() {
        assertThat(Reference.block("rbac", "deploy/rbac/*-role.yaml")
                        .check(Reference.docs("reference/rbac.md"), RbacReference.generate()))
                .isEmpty();
    }

    @Test
    void theManifestFormatIsTheManifestRecords() {
        assertThat(Reference.block("manifest", "dev.ferry.core.manifest.Manifest and its records")
                        .check(Reference.docs("reference/manifest.md"), ManifestFormatReference.generate()))
                .isEmpty();
    }

    @Test
    void everyStepProgramIsListed() {
        assertThat(SettingsReference.COMMANDS.keySet())
                .containsExactly(
                        "freeze", "dump", "upload", "download", "restore", "validate", "alembic-run", "scale-up");
    }
}
