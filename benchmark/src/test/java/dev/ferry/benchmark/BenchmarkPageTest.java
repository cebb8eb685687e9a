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
    void theDocsPageHoldsTheBlocksTheBenchmarkWrites() throws IOException {
        String page = Files.readString(ConfigDocs.repositoryRoot().resolve("docs/benchmarks.md"));
        assertThat(BenchmarkPage.BLOCK.isIn(page)).isTrue();
        assertThat(BenchmarkPage.FOLLOW_BLOCK.isIn(page)).isTrue();
        String guide = Files.readString(ConfigDocs.repositoryRoot().resolve(BenchmarkPage.FOLLOW_GUIDE));
        assertThat(BenchmarkPage.FOLLOW_BLOCK.isIn(guide)).isTrue();
    }

    private static final OutageShares SHARES = new OutageShares(0.25, 0.3, 0.71, 0.6);
    private static final FollowResult SMALL =
            new FollowResult(265_000, 337_400_000L, 2.4, 20.82, 1234, 6712.4, 400, 30, SHARES);
    private static final FollowResult LARGE =
            new FollowResult(840_000, 1_071_000_000L, 2.6, 61.5, 1300, 6650, 399.6, 30.2, SHARES);

    @Test
    void aFollowRowTakesThePlaceOfItsSizeAndLeavesTheOtherSizes(@TempDir Path folder) throws IOException {
        Path page = folder.resolve("benchmarks.md");
        String empty = BenchmarkPage.renderFollow("", LARGE, "`abc1234`, then");
        Files.writeString(page, "# Benchmarks\n\n" + BenchmarkPage.FOLLOW_BLOCK.render(empty) + "\n\nProse.\n");
        BenchmarkPage.writeFollow(page, SMALL, "`def5678`, first");
        BenchmarkPage.writeFollow(
                page,
                new FollowResult(
                        265_000, 337_000_000L, 2.2, 21.0, 900, 7000, 400, 30, new OutageShares(0.2, 0.25, 0.5, 0.4)),
                "`0a0b0c0`, now");
        assertThat(Files.readString(page))
                .isEqualTo("# Benchmarks\n\n" + BenchmarkPage.FOLLOW_BLOCK.begin() + "\n" + """
                        | chat messages | database MB | outage s | runbook window s | outage/runbook | pending at freeze \
                        | apply, changes/s | writer, changes/s | followed s | drain's JVM start s | drain to marker s \
                        | capture's final state s | apply's proof s | ran on |
                        | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |
                        | 265,000 | 337 | 2.20 | 21.00 | **0.105** | 900 | 7,000 | 400 | 30 | 0.20 | 0.25 | 0.50 | 0.40 \
                        | `0a0b0c0`, now |
                        | 840,000 | 1071 | 2.60 | 61.50 | **0.042** | 1,300 | 6,650 | 400 | 30 | 0.25 | 0.30 | 0.71 | 0.60 \
                        | `abc1234`, then |
                        """
                        + BenchmarkPage.FOLLOW_BLOCK.end() + "\n\nProse.\n");
    }

    @Test
    void aFollowRowSaysHowLoadedTheMachineWas() {
        assertThat(BenchmarkPage.followRanOn(ConfigDocs.repositoryRoot(), "PostgreSQL 15.19 → 17.11"))
                .matches("`[0-9a-f]+`( with local changes)?, \\d{4}-\\d{2}-\\d{2}, PostgreSQL 15.19 → 17.11,"
                        + " load \\d+\\.\\d on \\d+ CPUs");
    }

    @Test
    void saysWhereItRan() {
        assertThat(BenchmarkPage.ranOn(ConfigDocs.repositoryRoot(), "a workload"))
                .matches(
                        "Ran on commit `[0-9a-f]+`( with local changes)?, \\d{4}-\\d{2}-\\d{2}, on \\d+ CPUs and \\d+ GB"
                                + " of memory \\(.*\\): a workload\\.");
    }
}
