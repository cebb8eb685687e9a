package dev.ferry.download;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.ConfigDocs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The settings table of the step's README is generated from the mappings DownloadCommand injects, and kept so. */
class DownloadReadmeTest {

    @Test
    void theSettingsTableIsTheOneTheMappingsGenerate() {
        assertThat(ConfigDocs.checkReadme(Path.of("README.md"), DownloadCommand.class))
                .isEmpty();
    }
}
