package dev.ferry.download;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.s3.ObjectLayout;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

class CompleteMigrationsTest {

    private static final ObjectLayout LAYOUT = new ObjectLayout("onyx-migrations", "ferry");

    private static S3Object object(String key, String lastModified) {
        return S3Object.builder()
                .key(key)
                .lastModified(Instant.parse(lastModified))
                .size(1L)
                .build();
    }

    @Test
    void picksTheMigrationWhoseManifestWasWrittenLast() {
        CompleteMigrations migrations = CompleteMigrations.of(
                List.of(
                        object("ferry/m-b/onyx.dump", "2026-11-25T01:00:00Z"),
                        object("ferry/m-b/manifest.json", "2026-11-25T01:05:00Z"),
                        object("ferry/m-a/onyx.dump", "2026-11-25T02:00:00Z"),
                        object("ferry/m-a/manifest.json", "2026-11-25T02:05:00Z"),
                        object("ferry/m-c/onyx.dump", "2026-11-25T03:00:00Z")),
                LAYOUT);

        assertThat(migrations.newest())
                .map(CompleteMigrations.Candidate::migrationId)
                .contains("m-a");
        assertThat(migrations.incomplete()).containsExactly("m-c");
    }

    @Test
    void equalTimestampsFallBackToTheLargerId() {
        CompleteMigrations migrations = CompleteMigrations.of(
                List.of(
                        object("ferry/20261125-1/manifest.json", "2026-11-25T01:05:00Z"),
                        object("ferry/20261125-2/manifest.json", "2026-11-25T01:05:00Z")),
                LAYOUT);

        assertThat(migrations.newest())
                .map(CompleteMigrations.Candidate::migrationId)
                .contains("20261125-2");
    }

    @Test
    void aManifestDeeperInsideAMigrationDoesNotMakeAnotherMigration() {
        CompleteMigrations migrations = CompleteMigrations.of(
                List.of(object("ferry/m-a/report/manifest.json", "2026-11-25T01:05:00Z")), LAYOUT);

        assertThat(migrations.newest()).isEmpty();
        assertThat(migrations.incomplete()).containsExactly("m-a");
    }
}
