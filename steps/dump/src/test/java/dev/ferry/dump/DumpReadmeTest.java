package dev.ferry.dump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.config.FerryConfig;
import dev.ferry.core.config.PostgresConfig;
import dev.ferry.testing.ConfigDocs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DumpReadmeTest {

    @Test
    void the_readme_documents_every_setting_the_step_reads() throws Exception {
        assertThat(ConfigDocs.undocumented(Path.of("README.md"), DumpConfig.class, FerryConfig.class,
                PostgresConfig.class)).isEmpty();
    }
}
