package dev.ferry.follow.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.ConfigDocs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The settings table of the step's README is generated from the mappings FollowApplyCommand injects, and kept so. */
class FollowApplyReadmeTest {

    @Test
    void theSettingsTableIsTheOneTheMappingsGenerate() {
        assertThat(ConfigDocs.checkReadme(Path.of("README.md"), FollowApplyCommand.class))
                .isEmpty();
    }
}
