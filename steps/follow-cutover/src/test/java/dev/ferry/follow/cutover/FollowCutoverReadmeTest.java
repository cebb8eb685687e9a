package dev.ferry.follow.cutover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.ConfigDocs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The settings table of the step's README is generated from the mappings FollowCutoverCommand injects, and kept so. */
class FollowCutoverReadmeTest {

    @Test
    void theSettingsTableIsTheOneTheMappingsGenerate() {
        assertThat(ConfigDocs.checkReadme(Path.of("README.md"), FollowCutoverCommand.class))
                .isEmpty();
    }
}
