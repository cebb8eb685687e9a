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
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The results tables of docs/benchmarks.md, written by the benchmark itself at the end of a run: each copy
 * measure's medians for every tool set, under a line naming the commit, the date and the machine it ran on; and the
 * follow runs, one row per size, each row saying where and when it ran (a run at one size leaves the others' rows).
 * Only the generated blocks are replaced; the page's prose stays as written.
 */
final class BenchmarkPage {

    static final GeneratedBlock BLOCK = new GeneratedBlock("benchmark", "the last run", "bin/ferry-benchmark");

    /** The follow guide, which carries the follow table too. */
    static final String FOLLOW_GUIDE = "docs/guides/follow-mode.md";

    static final GeneratedBlock FOLLOW_BLOCK = new GeneratedBlock(
            "benchmark-follow", "the last follow run of each size", "FERRY_BENCH_ONLY=follow bin/ferry-benchmark");

    private static final String FOLLOW_HEADER = "| chat messages | database MB | outage s | runbook window s"
            + " | outage/runbook | pending at freeze | apply, changes/s | writer, changes/s | followed s"
            + " | drain's JVM start s | drain to marker s | capture's final state s | apply's proof s | ran on |\n"
            + "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n";

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

    /**
     * The follow block's content with {@code result}'s row in place of the row of the same size in {@code
     * previous} (the block's content as the page holds it): rows by size, smallest first.
     */
    static String renderFollow(String previous, FollowResult result, String ranOn) {
        Map<Integer, String> rows = new TreeMap<>();
        previous.lines().filter(line -> line.startsWith("| ")).forEach(line -> {
            String size = line.substring(2, line.indexOf(" |", 1)).replace(",", "");
            if (size.matches("\\d+")) {
                rows.put(Integer.parseInt(size), line);
            }
        });
        rows.put(
                result.chatMessages(),
                String.format(
                        Locale.ROOT,
                        "| %,d | %.0f | %.2f | %.2f | **%.3f** | %,d | %,.0f | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f"
                                + " | %s |",
                        result.chatMessages(),
                        result.databaseBytes() / 1e6,
                        result.outageSeconds(),
                        result.runbookWindowSeconds(),
                        result.ratio(),
                        result.pending(),
                        result.applyRate(),
                        result.writerRate(),
                        result.followSeconds(),
                        result.shares().drainStartupSeconds(),
                        result.shares().drainMarkerSeconds(),
                        result.shares().captureFinalStateSeconds(),
                        result.shares().applyProofSeconds(),
                        ranOn));
        return FOLLOW_HEADER + String.join("\n", rows.values()) + "\n";
    }

    /** Puts {@code result}'s row into the follow block of {@code page}, keeping the other sizes' rows. */
    static void writeFollow(Path page, FollowResult result, String ranOn) {
        try {
            String text = Files.readString(page, StandardCharsets.UTF_8);
            int begin = text.indexOf(FOLLOW_BLOCK.begin());
            int end = text.indexOf(FOLLOW_BLOCK.end(), begin);
            if (begin < 0 || end < begin) {
                throw new IllegalStateException(page + " has no " + FOLLOW_BLOCK.begin() + " block");
            }
            String previous = text.substring(begin + FOLLOW_BLOCK.begin().length(), end);
            Files.writeString(
                    page, FOLLOW_BLOCK.replaceIn(text, renderFollow(previous, result, ranOn)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the follow results into " + page, e);
        }
    }

    /** A follow row's "ran on": the commit, the date, and how loaded the shared machine was when it ran. */
    static String followRanOn(Path root, String servers) {
        return String.format(
                Locale.ROOT,
                "%s, %s, %s, load %.1f on %d CPUs",
                commit(root),
                LocalDate.now(ZoneOffset.UTC),
                servers,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
    }

    /** "Ran on …": the commit (marked when the checkout had changes), the date and this machine. */
    static String ranOn(Path root, String workload) {
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return String.format(
                Locale.ROOT,
                "Ran on commit %s, %s, on %d CPUs and %.0f GB of memory (%s %s, Java %s): %s.",
                commit(root),
                LocalDate.now(ZoneOffset.UTC),
                Runtime.getRuntime().availableProcessors(),
                memory / 1e9,
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                System.getProperty("java.version"),
                workload);
    }

    /**
     * The commit the run was built from, marked when the checkout had changes: other than the pages the benchmark
     * writes itself, which a run of the other size changed before this one.
     */
    private static String commit(Path root) {
        String commit = git(root, "rev-parse", "--short", "HEAD");
        boolean dirty = !git(
                        root,
                        "status",
                        "--porcelain",
                        "--untracked-files=no",
                        "--",
                        ".",
                        ":!docs/benchmarks.md",
                        ":!" + FOLLOW_GUIDE)
                .isEmpty();
        return "`" + (commit.isEmpty() ? "unknown" : commit) + "`" + (dirty ? " with local changes" : "");
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
