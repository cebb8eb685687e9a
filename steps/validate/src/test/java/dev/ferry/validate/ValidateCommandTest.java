package dev.ferry.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.manifest.Inventory;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.testing.InProcessStep;
import dev.ferry.core.workspace.ArtifactKind;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.testing.ArtifactFixture;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate's failures before it reads the target, each with the one line a user reads. */
class ValidateCommandTest {

    @TempDir
    Path workdir;

    InProcessStep.Outcome run(Map<String, String> env) {
        return InProcessStep.run(InProcessStep.configured(new ValidateCommand(), env));
    }

    @Test
    void withoutAManifestThereIsNothingToCompareWith() {
        InProcessStep.Outcome outcome = run(Map.of("FERRY_WORKDIR", workdir.toString()));

        assertThat(outcome.exitCode()).isEqualTo(4);
        assertThat(outcome.lastLine())
                .isEqualTo("step=validate outcome=failed exit=4 (verification failed): no manifest at "
                        + workdir.toAbsolutePath().resolve("manifest.json"));
    }

    @Test
    void aManifestWithoutAnInventoryCannotProveAnything() throws Exception {
        new ArtifactFixture(workdir, 1)
                .file("dump.pgdump", ArtifactKind.DUMP, 10)
                .writeManifest("m-1", Instant.EPOCH);

        InProcessStep.Outcome outcome = run(Map.of("FERRY_WORKDIR", workdir.toString()));

        assertThat(outcome.exitCode()).isEqualTo(4);
        assertThat(outcome.lastLine()).endsWith("holds no source inventory to validate against");
    }

    @Test
    void aClosedPortIsNamed() throws Exception {
        Workspace.at(workdir)
                .writeManifest(new Manifest(
                        Manifest.FORMAT_VERSION,
                        "m-1",
                        Instant.EPOCH,
                        null,
                        null,
                        List.of(),
                        new Inventory(List.of("public"), List.of(), List.of(), 0, List.of(), List.of(), Map.of(), 0),
                        null,
                        null));
        Map<String, String> env = new HashMap<>(Map.of(
                "FERRY_WORKDIR",
                workdir.toString(),
                "POSTGRES_HOST",
                "127.0.0.1",
                "POSTGRES_PORT",
                "1",
                "POSTGRES_USER",
                "postgres"));

        InProcessStep.Outcome outcome = run(env);

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.lastLine())
                .contains("(bad configuration): cannot reach PostgreSQL at 127.0.0.1:1: check POSTGRES_HOST "
                        + "and POSTGRES_PORT");
    }
}
