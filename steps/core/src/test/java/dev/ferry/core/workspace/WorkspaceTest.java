package dev.ferry.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestStoreTest {

    @TempDir
    Path workdir;

    @Test
    void roundTripsEverySection() {
        Inventory inventory = new Inventory(List.of("public", "tenant_a"),
                List.of(new Inventory.TableRows("public", "user", 3)),
                List.of(new Inventory.SequenceValue("public", "chat_message_id_seq", 42L)), 2,
                List.of(new Inventory.Extension("pg_trgm", "1.6")), List.of("db_readonly_user"),
                Map.of("public", List.of("abc123")), 8_000_000);
        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, "m-1", Instant.parse("2026-11-25T00:00:00Z"),
                new Manifest.Source("14.22", 14, "postgres", "15.20"), new Manifest.DumpSettings("custom", "6", 1, true),
                List.of(new Manifest.Artifact("dump.pgdump", "dump", 10, "ab")), inventory, null, null)
                .withFreeze(new Manifest.Freeze("onyx", Instant.EPOCH, List.of(new Manifest.FrozenWorkload("Deployment", "onyx-api-server", 2))));

        ManifestStore.write(workdir, manifest);

        assertThat(ManifestStore.read(workdir)).isEqualTo(manifest);
    }

    @Test
    void aMissingManifestIsAVerificationFailure() {
        assertThatThrownBy(() -> ManifestStore.read(workdir))
                .isInstanceOfSatisfying(StepFailure.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCode.VERIFICATION_FAILED))
                .hasMessageContaining("no manifest");
    }

    @Test
    void aTruncatedManifestIsNeverTrusted() throws Exception {
        Files.writeString(ManifestStore.pathIn(workdir), "{\"formatVersion\": 1, \"migrationId\": ");

        assertThatThrownBy(() -> ManifestStore.read(workdir))
                .isInstanceOfSatisfying(StepFailure.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCode.VERIFICATION_FAILED))
                .hasMessageContaining("not valid");
    }
}
