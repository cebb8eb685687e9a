package dev.ferry.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prints one tool set's medians as Markdown tables, and gives docs/benchmarks.md its rows. */
final class Report {

    private static final Pattern DUMP_PLAN =
            Pattern.compile("phase=pg_dump format=(\\S+) jobs=(\\d+) compression=(\\S+)");
    private static final Pattern RESTORE_JOBS = Pattern.compile("phase=bulk_load jobs=(\\d+)");
    private static final Pattern RESTORE_SPLIT = Pattern.compile("phase=pg_restore split=(\\S+)");

    /** The runbook's commands that make its outage: what each ratio of a window and the follow run compare with. */
    static final List<String> RUNBOOK_WINDOW =
            List.of("runbook.dump", "runbook.upload", "runbook.download", "runbook.restore");

    private Report() {}

    /** The runbook's window, the median over the runs (without the transfers where the AWS CLI is missing). */
    static double runbookWindow(List<Run> measured) {
        return median(measured.stream().map(Run::phases).toList(), r -> sum(r, RUNBOOK_WINDOW));
    }

    static void print(ClientTools tools, List<Run> measured, long databaseBytes) {
        List<Map<String, Timed>> runs = measured.stream().map(Run::phases).toList();
        Map<String, Timed> first = runs.get(0);
        System.out.printf(
                Locale.ROOT,
                "%n### %s%n%nRunbook: `pg_dump -Fc -Z 6`, `aws s3 cp`, `pg_restore`. Ferry: %s; restore jobs %s, split %s. "
                        + "Dump size: runbook %.1f MB, Ferry %.1f MB.%n%n",
                tools.pgDumpVersion(),
                dumpPlan(first.get("ferry.dump").output()),
                find(RESTORE_JOBS, first.get("ferry.restore").output()),
                find(RESTORE_SPLIT, first.get("ferry.restore").output()),
                measured.get(0).runbookDumpBytes() / 1e6,
                measured.get(0).ferryDumpBytes() / 1e6);
        System.out.println("| phase | runbook s | Ferry s | Ferry/runbook | Ferry MB/s | Ferry peak RSS |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
        row(runs, "export: dump", "runbook.dump", "ferry.dump", databaseBytes);
        row(runs, "export: upload", "runbook.upload", "ferry.upload", databaseBytes);
        total(runs, "**export**", List.of("runbook.dump", "runbook.upload"), List.of("ferry.dump", "ferry.upload"));
        row(runs, "import: download", "runbook.download", "ferry.download", databaseBytes);
        row(runs, "import: restore (Ferry's includes ANALYZE)", "runbook.restore", "ferry.restore", databaseBytes);
        row(runs, "import: ANALYZE, inside restore", null, "ferry.restore.analyze", databaseBytes);
        row(runs, "import: validate", null, "ferry.validate", databaseBytes);
        total(
                runs,
                "**import**",
                List.of("runbook.download", "runbook.restore"),
                List.of("ferry.download", "ferry.restore", "ferry.validate"));
        total(
                runs,
                "**window (export + import)**",
                RUNBOOK_WINDOW,
                List.of("ferry.dump", "ferry.upload", "ferry.download", "ferry.restore", "ferry.validate"));
        List<String> ferryCutover = List.of("ferry.dump", "ferry.restore", "ferry.validate");
        total(
                runs,
                "cutover: `pg_dump -Fc \\| pg_restore` vs dump + restore + validate",
                List.of("cutover.pipe"),
                ferryCutover);
        if (runs.get(0).containsKey("cutover.pgcopydb")) {
            total(
                    runs,
                    "cutover: `pgcopydb clone` (2+2 jobs) vs dump + restore + validate",
                    List.of("cutover.pgcopydb"),
                    ferryCutover);
        }
        contentCost(runs);
        encryptionCost(runs);
        overlapCeiling(runs);
        compressionChoices(measured);
    }

    /** pg_dump -Fc by each compression it offers: median seconds, size, and both against the runbook's {@code 6}. */
    private static void compressionChoices(List<Run> measured) {
        Map<String, Long> sizes = measured.get(0).compressedBytes();
        if (sizes.isEmpty()) {
            return;
        }
        List<Map<String, Timed>> runs = measured.stream().map(Run::phases).toList();
        double runbookSeconds = median(runs, r -> r.get("compression.6").seconds());
        long runbookBytes = sizes.get("6");
        System.out.printf(
                Locale.ROOT, "%n| `pg_dump -Fc --compress=` | seconds | MB | seconds vs `6` | size vs `6` |%n");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        sizes.forEach((choice, bytes) -> {
            double seconds = median(runs, r -> r.get("compression." + choice).seconds());
            System.out.printf(
                    Locale.ROOT,
                    "| `%s` | %.2f | %.1f | %.2f | %.2f |%n",
                    choice,
                    seconds,
                    bytes / 1e6,
                    seconds / runbookSeconds,
                    (double) bytes / runbookBytes);
        });
    }

    /**
     * What overlapping the phases could gain at most on this machine: each pair of steps one after the other against
     * the same two started together (the second not waiting for the first's bytes, as a real overlap must), and the
     * export and import such a perfect overlap would give against the runbook's.
     */
    private static void overlapCeiling(List<Map<String, Timed>> runs) {
        if (!runs.get(0).containsKey("overlap.export")) {
            return;
        }
        System.out.printf(
                Locale.ROOT,
                "%n| overlap, at most | one after the other s | started together s | gain | Ferry/runbook at best |%n");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        overlapRow(
                runs,
                "export: dump with upload",
                List.of("ferry.dump", "ferry.upload"),
                "overlap.export",
                List.of(),
                List.of("runbook.dump", "runbook.upload"));
        overlapRow(
                runs,
                "import: download with restore (then validate)",
                List.of("ferry.download", "ferry.restore"),
                "overlap.import",
                List.of("ferry.validate"),
                List.of("runbook.download", "runbook.restore"));
    }

    private static void overlapRow(
            List<Map<String, Timed>> runs,
            String pair,
            List<String> inSequence,
            String together,
            List<String> after,
            List<String> runbook) {
        double sequential = median(runs, r -> sum(r, inSequence));
        double overlapped = median(runs, r -> r.get(together).seconds());
        double atBest = median(runs, r -> (r.get(together).seconds() + sum(r, after)) / sum(r, runbook));
        System.out.printf(
                Locale.ROOT,
                "| %s | %.2f | %.2f | %.2f s | %.2f |%n",
                pair,
                sequential,
                overlapped,
                sequential - overlapped,
                atBest);
    }

    /**
     * What client-side encryption costs: upload and download of the same dump with and without a keyset, in the same
     * run, against the plain transfer and as a share of Ferry's window.
     */
    private static void encryptionCost(List<Map<String, Timed>> runs) {
        if (!runs.get(0).containsKey("ferry.upload.encrypted")) {
            return;
        }
        List<String> window =
                List.of("ferry.dump", "ferry.upload", "ferry.download", "ferry.restore", "ferry.validate");
        double windowSeconds = median(runs, r -> sum(r, window));
        System.out.printf(
                Locale.ROOT, "%n| encryption | plain | encrypted | cost | share of the window | peak RSS |%n");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
        for (String step : List.of("upload", "download")) {
            String plain = "ferry." + step;
            String encrypted = plain + ".encrypted";
            double plainSeconds = median(runs, r -> r.get(plain).seconds());
            double encryptedSeconds = median(runs, r -> r.get(encrypted).seconds());
            long peak = runs.stream()
                    .mapToLong(r -> r.get(encrypted).peakRssKb())
                    .max()
                    .orElse(0);
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %.2f s | %.2f s | %+.0f %% (%+.2f s) | %.1f %% | %s |%n",
                    step,
                    plainSeconds,
                    encryptedSeconds,
                    // From the medians, like the seconds beside it (a median of per-run ratios can differ in sign).
                    100 * (encryptedSeconds / plainSeconds - 1),
                    encryptedSeconds - plainSeconds,
                    100 * (encryptedSeconds - plainSeconds) / windowSeconds,
                    peak == 0 ? "—" : String.format(Locale.ROOT, "%.0f MB", peak / 1024.0));
        }
    }

    /**
     * What proving content costs: validate by each FERRY_VALIDATE_CONTENT on the same target, against counts, and
     * the dump's digests (the dump with them against the same dump without), each as a share of Ferry's window.
     */
    private static void contentCost(List<Map<String, Timed>> runs) {
        if (!runs.get(0).containsKey("ferry.validate.counts")) {
            return;
        }
        List<String> window =
                List.of("ferry.dump", "ferry.upload", "ferry.download", "ferry.restore", "ferry.validate");
        double windowSeconds = median(runs, r -> sum(r, window));
        double counts = median(runs, r -> r.get("ferry.validate.counts").seconds());
        System.out.printf(Locale.ROOT, "%n| content validation | seconds | more than counts | share of the window |%n");
        System.out.println("| --- | ---: | ---: | ---: |");
        for (String content : List.of("full", "sample", "counts")) {
            double seconds =
                    median(runs, r -> r.get("ferry.validate." + content).seconds());
            System.out.printf(
                    Locale.ROOT,
                    "| validate `%s` | %.2f | %+.2f s | %.0f %% |%n",
                    content,
                    seconds,
                    seconds - counts,
                    100 * (seconds - counts) / windowSeconds);
        }
        double withDigests = median(runs, r -> r.get("ferry.dump").seconds());
        double without = median(runs, r -> r.get("ferry.dump.nodigests").seconds());
        System.out.printf(
                Locale.ROOT,
                "| dump's digests (dump %.2f s, without them %.2f s) | %.2f | %+.2f s | %.0f %% |%n",
                withDigests,
                without,
                withDigests,
                withDigests - without,
                100 * (withDigests - without) / windowSeconds);
    }

    private static void row(
            List<Map<String, Timed>> runs, String phase, String runbook, String ferry, long databaseBytes) {
        if (!runs.get(0).containsKey(ferry)) {
            return;
        }
        double ferrySeconds = median(runs, r -> r.get(ferry).seconds());
        long ferryPeak =
                runs.stream().mapToLong(r -> r.get(ferry).peakRssKb()).max().orElse(0);
        boolean hasRunbook = runbook != null && runs.get(0).containsKey(runbook);
        double runbookSeconds = hasRunbook ? median(runs, r -> r.get(runbook).seconds()) : Double.NaN;
        System.out.printf(
                Locale.ROOT,
                "| %s | %s | %.2f | %s | %.0f | %s |%n",
                phase,
                hasRunbook ? String.format(Locale.ROOT, "%.2f", runbookSeconds) : "—",
                ferrySeconds,
                hasRunbook ? String.format(Locale.ROOT, "%.2f", ferrySeconds / runbookSeconds) : "—",
                databaseBytes / 1e6 / ferrySeconds,
                ferryPeak == 0 ? "—" : String.format(Locale.ROOT, "%.0f MB", ferryPeak / 1024.0));
    }

    /** Per run, the phases' seconds add up; the row shows the medians of those sums and their ratio's median. */
    private static void total(List<Map<String, Timed>> runs, String phase, List<String> runbook, List<String> ferry) {
        double runbookSeconds = median(runs, r -> sum(r, runbook));
        double ferrySeconds = median(runs, r -> sum(r, ferry));
        double ratio = median(runs, r -> sum(r, ferry) / sum(r, runbook));
        System.out.printf(
                Locale.ROOT, "| %s | %.2f | %.2f | **%.2f** | | |%n", phase, runbookSeconds, ferrySeconds, ratio);
    }

    /** The rows of docs/benchmarks.md's table for one tool set: the same medians the printed tables show. */
    static List<BenchmarkPage.Row> summary(List<Run> measured) {
        List<Map<String, Timed>> runs = measured.stream().map(Run::phases).toList();
        List<BenchmarkPage.Row> rows = new ArrayList<>();
        summaryRow(rows, runs, "export: dump", List.of("runbook.dump"), List.of("ferry.dump"));
        summaryRow(rows, runs, "export: upload", List.of("runbook.upload"), List.of("ferry.upload"));
        summaryRow(
                rows,
                runs,
                "**export**",
                List.of("runbook.dump", "runbook.upload"),
                List.of("ferry.dump", "ferry.upload"));
        summaryRow(rows, runs, "import: download", List.of("runbook.download"), List.of("ferry.download"));
        summaryRow(rows, runs, "import: restore with ANALYZE", List.of("runbook.restore"), List.of("ferry.restore"));
        summaryRow(rows, runs, "import: validate, content digests", List.of(), List.of("ferry.validate"));
        summaryRow(
                rows,
                runs,
                "**import**",
                List.of("runbook.download", "runbook.restore"),
                List.of("ferry.download", "ferry.restore", "ferry.validate"));
        summaryRow(
                rows,
                runs,
                "**window**",
                RUNBOOK_WINDOW,
                List.of("ferry.dump", "ferry.upload", "ferry.download", "ferry.restore", "ferry.validate"));
        List<String> ferryCutover = List.of("ferry.dump", "ferry.restore", "ferry.validate");
        summaryRow(rows, runs, "cutover vs `pg_dump -Fc \\| pg_restore`", List.of("cutover.pipe"), ferryCutover);
        summaryRow(rows, runs, "cutover vs `pgcopydb clone`", List.of("cutover.pgcopydb"), ferryCutover);
        return rows;
    }

    private static void summaryRow(
            List<BenchmarkPage.Row> rows,
            List<Map<String, Timed>> runs,
            String measure,
            List<String> runbook,
            List<String> ferry) {
        if (!runs.get(0).containsKey(ferry.get(0))) {
            return;
        }
        boolean hasRunbook = !runbook.isEmpty() && runs.get(0).containsKey(runbook.get(0));
        rows.add(new BenchmarkPage.Row(
                measure,
                hasRunbook ? median(runs, r -> sum(r, runbook)) : Double.NaN,
                median(runs, r -> sum(r, ferry)),
                hasRunbook ? median(runs, r -> sum(r, ferry) / sum(r, runbook)) : Double.NaN));
    }

    private static double sum(Map<String, Timed> run, List<String> phases) {
        return phases.stream()
                .filter(run::containsKey)
                .mapToDouble(p -> run.get(p).seconds())
                .sum();
    }

    private static double median(List<Map<String, Timed>> runs, ToDoubleFunction<Map<String, Timed>> value) {
        double[] values = runs.stream().mapToDouble(value).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static String dumpPlan(String output) {
        Matcher matcher = DUMP_PLAN.matcher(output);
        return matcher.find()
                ? "format " + matcher.group(1) + ", " + matcher.group(2) + " job(s), compression " + matcher.group(3)
                : "(plan not found in the step's log)";
    }

    private static String find(Pattern pattern, String output) {
        Matcher matcher = pattern.matcher(output);
        return matcher.find() ? matcher.group(1) : "?";
    }
}
