package dev.ferry.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.alembicrun.AlembicConfig;
import dev.ferry.core.config.FerryConfig;
import dev.ferry.core.config.PostgresConfig;
import dev.ferry.core.kube.KubeConfig;
import dev.ferry.core.s3.AwsConfig;
import dev.ferry.core.s3.S3Settings;
import dev.ferry.dump.DumpConfig;
import dev.ferry.freeze.FreezeConfig;
import dev.ferry.restore.RestoreConfig;
import dev.ferry.scaleup.ScaleUpConfig;
import dev.ferry.testing.ConfigDocs;
import dev.ferry.validate.ValidateConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The top README promises every setting of every step; these checks keep that promise true. */
class TopReadmeTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path README = ROOT.resolve("README.md");
    /** A table row whose first cell is one environment variable, e.g. {@code | `FERRY_DUMP_JOBS` | 1 | …}. */
    private static final Pattern SETTING_ROW = Pattern.compile("^\\| `[A-Z][A-Z0-9_]*` \\|");

    @Test
    void documentsEveryEnvironmentVariableTheStepsRead() throws IOException {
        assertThat(ConfigDocs.undocumented(README, FerryConfig.class, PostgresConfig.class, AwsConfig.class,
                S3Settings.class, KubeConfig.class, FreezeConfig.class, DumpConfig.class, RestoreConfig.class, ValidateConfig.class,
                AlembicConfig.class, ScaleUpConfig.class)).isEmpty();
    }

    @Test
    void carriesEachStepReadmesSettingsRowsUnchanged() throws IOException {
        String top = Files.readString(README);
        List<Path> stepReadmes;
        try (Stream<Path> steps = Files.list(ROOT.resolve("steps"))) {
            stepReadmes = steps.map(step -> step.resolve("README.md")).filter(Files::isRegularFile).toList();
        }
        assertThat(stepReadmes).hasSizeGreaterThanOrEqualTo(8);
        for (Path stepReadme : stepReadmes) {
            List<String> settingRows = Files.readAllLines(stepReadme).stream()
                    .filter(line -> SETTING_ROW.matcher(line).find())
                    .toList();
            assertThat(settingRows)
                    .as("rows of %s missing from README.md: run hack/sync-readme-settings.py", ROOT.relativize(stepReadme))
                    .allSatisfy(row -> assertThat(top).contains(row));
        }
    }
}
