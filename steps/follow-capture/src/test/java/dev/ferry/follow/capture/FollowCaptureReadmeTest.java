package dev.ferry.follow.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.ConfigDocs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The settings table of the step's README is generated from the mappings FollowCaptureCommand injects, and kept so. */
class FollowCaptureReadmeTest {

    @Test
    void theSettingsTableIsTheOneTheMappingsGenerate() {
        assertThat(ConfigDocs.checkReadme(Path.of("README.md"), FollowCaptureCommand.class))
                .isEmpty();
    }
}
