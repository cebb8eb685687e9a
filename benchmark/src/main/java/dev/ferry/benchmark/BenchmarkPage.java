package dev.ferry.benchmark;

import dev.ferry.projectfiles.GeneratedBlock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one results table of docs/benchmarks.md, written by the benchmark itself at the end of a run: each
 * measure's medians for every tool set, under a line naming the commit, the date and the machine it ran on.
 * Only the generated block is replaced; the page's prose stays as written.
 */
final class BenchmarkPage {

    static final GeneratedBlock BLOCK = new GeneratedBlock("benchmark", "the last run", "bin/ferry-benchmark");

    /** One measure of one tool set: medians in seconds; {@code runbook} is NaN where the runbook has no such phase. */
    record Row(String measure, double runbook, double ferry, double ratio) {}

    private BenchmarkPage() {}

    /** The block's content: where and when it ran, then one table with a column group per tool set. */
    static String render(String ranOn, Map<String, List<Row>> byToolSet) {
        StringBuilder out = new StringBuilder(ranOn).append("\n\n| measure |");
        StringBuilder rule = new StringBuilder("| --- |");
        for (String tools : byToolSet.keySet()) {
            out.append(' ').append(tools).append(": runbook s | Ferry s | Ferry/runbook |");
            rule.append(" ---: | ---: | ---: |");
        }
        out.append('\n').append(rule).append('\n');
        List<String> measures = new ArrayList<>();
        byToolSet
                .values()
                .forEach(rows -> rows.forEach(r -> {
                    if (!measures.contains(r.measure())) {
                        measures.add(r.measure());
                    }
                }));
        for (String measure : measures) {
            out.append("| ").append(measure).append(" |");
            for (List<Row> rows : byToolSet.values()) {
                Row row = rows.stream()
                        .filter(r -> r.measure().equals(measure))
                        .findFirst()
                        .orElse(null);
                boolean bold = measure.startsWith("**");
                out.append(' ')
                        .append(row == null ? "" : seconds(row.runbook()))
                        .append(" | ")
                        .append(row == null ? "" : seconds(row.ferry()))
                        .append(" | ")
                        .append(
                                row == null || Double.isNaN(row.ratio())
                                        ? "—"
                                        : (bold ? "**" : "")
                                                + String.format(Locale.ROOT, "%.2f", row.ratio())
                                                + (bold ? "**" : ""))
                        .append(" |");
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Replaces the generated block of {@code page} with {@code content}; the page must hold the block. */
    static void write(Path page, String content) {
        try {
            String text = Files.readString(page, StandardCharsets.UTF_8);
            Files.writeString(page, BLOCK.replaceIn(text, content), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results into " + page, e);
        }
    }

    /** "Ran on …": the commit (marked when the checkout had changes), the date and this machine. */
    static String ranOn(Path root, String workload) {
        String commit = git(root, "rev-parse", "--short", "HEAD");
        boolean dirty =
                !git(root, "status", "--porcelain", "--untracked-files=no").isEmpty();
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return String.format(
                Locale.ROOT,
                "Ran on commit `%s`%s, %s, on %d CPUs and %.0f GB of memory (%s %s, Java %s): %s.",
                commit.isEmpty() ? "unknown" : commit,
                dirty ? " with local changes" : "",
                LocalDate.now(ZoneOffset.UTC),
                Runtime.getRuntime().availableProcessors(),
                memory / 1e9,
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                System.getProperty("java.version"),
                workload);
    }

    /** Keeps the tool sets in the order they ran. */
    static Map<String, List<Row>> byToolSet() {
        return new LinkedHashMap<>();
    }

    private static String seconds(double value) {
        return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String git(Path root, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", root.toString()));
        command.addAll(List.of(args));
        try {
            Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
