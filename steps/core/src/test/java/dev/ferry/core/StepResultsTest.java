package dev.ferry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepResultsTest {

    @TempDir
    Path folder;

    @Test
    void writesOneFilePerResultWithoutTrailingNewline() throws Exception {
        StepResults results = new StepResults(folder.resolve("results"));

        results.write("migration-id", "onyx-20261125T000000Z");
        results.write("dump-bytes", 1234L);

        assertThat(Files.readString(folder.resolve("results/migration-id"))).isEqualTo("onyx-20261125T000000Z");
        assertThat(Files.readString(folder.resolve("results/dump-bytes"))).isEqualTo("1234");
    }

    @Test
    void refusesResultsThatWouldBlowTektonsBudget() {
        StepResults results = new StepResults(folder);

        assertThatThrownBy(() -> results.write("report", "x".repeat(StepResults.MAX_RESULT_BYTES + 1)))
                .hasMessageContaining("workspace");
    }

    @Test
    void refusesNamesTektonWouldNotAccept() {
        assertThatThrownBy(() -> new StepResults(folder).write("Migration_ID", "x"))
                .hasMessageContaining("kebab-case");
    }
}
