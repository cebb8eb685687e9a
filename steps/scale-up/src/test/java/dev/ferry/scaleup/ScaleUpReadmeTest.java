package dev.ferry.scaleup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.config.FerryConfig;
import dev.ferry.core.kube.KubeConfig;
import dev.ferry.testing.ConfigDocs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ScaleUpReadmeTest {

    @Test
    void readmeDocumentsEverySetting() throws Exception {
        assertThat(ConfigDocs.undocumented(Path.of("README.md"), ScaleUpConfig.class, KubeConfig.class, FerryConfig.class)).isEmpty();
    }
}
