package dev.ferry.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.ConfigDocs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark writes docs/benchmarks.md's one results table itself, and nothing else of the page. */
class BenchmarkPageTest {

    private static final Map<String, List<BenchmarkPage.Row>> RESULTS = Map.of(
            "pg_dump 15",
            List.of(
                    new BenchmarkPage.Row("export: dump", 3.64, 3.47, 0.953),
                    new BenchmarkPage.Row("import: validate, content digests", Double.NaN, 1.78, Double.NaN),
                    new BenchmarkPage.Row("**window**", 20.82, 21.06, 1.011)));

    @Test
    void rendersOneTableUnderTheLineSayingWhereAndWhenItRan() {
        assertThat(BenchmarkPage.render("Ran on commit `abc1234`.", RESULTS)).isEqualTo("""
                        Ran on commit `abc1234`.

                        | measure | pg_dump 15: runbook s | Ferry s | Ferry/runbook |
                        | --- | ---: | ---: | ---: |
                        | export: dump | 3.64 | 3.47 | 0.95 |
                        | import: validate, content digests | — | 1.78 | — |
                        | **window** | 20.82 | 21.06 | **1.01** |
                        """);
    }

    @Test
    void replacesOnlyTheGeneratedBlockOfThePage(@TempDir Path folder) throws IOException {
        Path page = folder.resolve("benchmarks.md");
        String before = "# Benchmarks\n\nProse.\n\n" + BenchmarkPage.BLOCK.render("old table") + "\n\nMore prose.\n";
        Files.writeString(page, before);
        BenchmarkPage.write(page, BenchmarkPage.render("Ran today.", RESULTS));
        assertThat(Files.readString(page))
                .startsWith("# Benchmarks\n\nProse.\n\n" + BenchmarkPage.BLOCK.begin() + "\nRan today.\n")
                .endsWith(BenchmarkPage.BLOCK.end() + "\n\nMore prose.\n")
                .doesNotContain("old table");
    }

    @Test
    void theDocsPageHoldsTheBlockTheBenchmarkWrites() throws IOException {
        String page = Files.readString(ConfigDocs.repositoryRoot().resolve("docs/benchmarks.md"));
        assertThat(BenchmarkPage.BLOCK.isIn(page)).isTrue();
    }

    @Test
    void saysWhereItRan() {
        assertThat(BenchmarkPage.ranOn(ConfigDocs.repositoryRoot(), "a workload"))
                .matches(
                        "Ran on commit `[0-9a-f]+`( with local changes)?, \\d{4}-\\d{2}-\\d{2}, on \\d+ CPUs and \\d+ GB"
                                + " of memory \\(.*\\): a workload\\.");
    }
}
