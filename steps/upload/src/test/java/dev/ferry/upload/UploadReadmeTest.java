package dev.ferry.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.config.FerryConfig;
import dev.ferry.core.s3.AwsConfig;
import dev.ferry.core.s3.S3Settings;
import dev.ferry.testing.ConfigDocs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class UploadReadmeTest {

    @Test
    void readmeDocumentsEverySettingTheStepReads() throws Exception {
        assertThat(ConfigDocs.undocumented(Path.of("README.md"), FerryConfig.class, AwsConfig.class, S3Settings.class))
                .isEmpty();
    }
}
