package dev.ferry.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.config.FerryConfig;
import dev.ferry.core.config.PostgresConfig;
import dev.ferry.testing.ConfigDocs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ValidateReadmeTest {

    @Test
    void the_readme_documents_every_setting_the_step_reads() throws Exception {
        assertThat(ConfigDocs.undocumented(Path.of("README.md"), ValidateConfig.class, FerryConfig.class, PostgresConfig.class))
                .isEmpty();
    }
}
