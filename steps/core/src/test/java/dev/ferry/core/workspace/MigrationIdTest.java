package dev.ferry.core.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MigrationIdTest {

    static final Instant NOW = Instant.parse("2026-11-25T01:02:03Z");

    @Test
    void a_given_id_is_kept() {
        assertThat(MigrationId.fromSetting(Optional.of(" cutover-1 "))).contains("cutover-1");
    }

    @Test
    void an_unset_id_is_the_database_and_utc_time() {
        assertThat(MigrationId.fromSetting(Optional.empty())).isEmpty();
        assertThat(MigrationId.generate("onyx", NOW)).isEqualTo("onyx-20261125T010203Z");
        assertThat(MigrationId.fromSetting(Optional.of(" ")))
                .as("blank is unset")
                .isEmpty();
        assertThat(MigrationId.generate("Onyx DB_1", NOW)).isEqualTo("onyx-db-1-20261125T010203Z");
    }

    @Test
    void an_id_that_cannot_be_a_path_or_key_is_bad_configuration() {
        assertThatThrownBy(() -> MigrationId.fromSetting(Optional.of("../escape")))
                .isInstanceOfSatisfying(StepFailure.class, f -> {
                    assertThat(f.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION);
                    assertThat(f.getMessage()).startsWith("FERRY_MIGRATION_ID \"../escape\"");
                });
    }

    @Test
    void a_manifest_naming_an_invalid_id_is_not_trusted() {
        assertThat(MigrationId.fromManifest("m-1", "manifest.json")).isEqualTo("m-1");
        assertThatThrownBy(() -> MigrationId.fromManifest("a/b", "manifest.json"))
                .isInstanceOfSatisfying(
                        StepFailure.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCode.VERIFICATION_FAILED))
                .hasMessage("manifest.json names migration id \"a/b\", which is not " + MigrationId.RULE);
    }
}
