package dev.ferry.follow.abandon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.ConfigDocs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The settings table of the step's README is generated from the mappings FollowAbandonCommand injects, and kept so. */
class FollowAbandonReadmeTest {

    @Test
    void theSettingsTableIsTheOneTheMappingsGenerate() {
        assertThat(ConfigDocs.checkReadme(Path.of("README.md"), FollowAbandonCommand.class))
                .isEmpty();
    }
}
