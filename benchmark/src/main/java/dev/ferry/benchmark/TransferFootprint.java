package dev.ferry.benchmark;

import dev.ferry.core.workspace.ArtifactKind;
import dev.ferry.crypto.Keyset;
import dev.ferry.testing.ArtifactFixture;
import dev.ferry.testing.StepProgram;
import dev.ferry.testing.s3.S3TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Upload and download alone, plain and encrypted, for artifacts of several sizes (FERRY_BENCH_TRANSFER_SIZES,
 * default {@code 100M,1G}): seconds and peak RSS of each step program, as a Task runs it (with its class data
 * archive), against the S3 test server keeping its objects on disk. Memory must not grow with the artifact:
 * everything streams.
 *
 * <p>{@code bin/ferry-benchmark transfers} runs it.
 */
public final class TransferFootprint {

    private static final String BUCKET = "bench";

    private TransferFootprint() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("ferry.project.root", "."))
                .toAbsolutePath()
                .normalize();
        List<String> sizes = List.of(System.getenv()
                .getOrDefault("FERRY_BENCH_TRANSFER_SIZES", "100M,1G")
                .split(","));
        Path work = Files.createTempDirectory("ferry-transfers-");
        Keyset keyset = Keyset.generate();
        Map<String, Map<String, Timed>> bySize = new LinkedHashMap<>();
        Path store = Files.createDirectories(work.resolve("store"));
        try (S3TestServer s3 = S3TestServer.startOnFilesystem(store, 0, "bench", "bench-secret")) {
            s3.createBucket(BUCKET);
            for (String size : sizes) {
                long bytes = bytesOf(size.strip());
                Path exported = work.resolve("export-" + size);
                new ArtifactFixture(exported, bytes)
                        .file("dump.pgdump", ArtifactKind.DUMP, bytes)
                        .writeManifest("m-" + size.strip().toLowerCase(Locale.ROOT), Instant.now());
                Map<String, Timed> steps = new LinkedHashMap<>();
                for (boolean encrypted : List.of(false, true)) {
                    Map<String, String> env = new HashMap<>(s3.stepEnvironment());
                    env.put("FERRY_S3_BUCKET", BUCKET);
                    env.put("FERRY_S3_PREFIX", (encrypted ? "encrypted-" : "plain-") + size);
                    if (encrypted) {
                        env.put("FERRY_ENCRYPTION_KEYSET", keyset.secretJson());
                    }
                    String how = encrypted ? " encrypted" : "";
                    env.put("FERRY_WORKDIR", exported.toString());
                    steps.put("upload" + how, step(root, work, "upload", env));
                    Path imported = work.resolve("import-" + size + (encrypted ? "-encrypted" : ""));
                    env.put("FERRY_WORKDIR", imported.toString());
                    steps.put("download" + how, step(root, work, "download", env));
                    RunbookBenchmark.deleteRecursively(imported);
                }
                RunbookBenchmark.deleteRecursively(exported);
                bySize.put(size.strip(), steps);
            }
        } finally {
            RunbookBenchmark.deleteRecursively(work);
        }
        print(bySize);
    }

    private static Timed step(Path root, Path work, String step, Map<String, String> env) {
        return Timed.run(
                StepProgram.javaCommand(root.resolve("steps/" + step + "/target/quarkus-app/quarkus-run.jar")),
                env,
                work);
    }

    private static void print(Map<String, Map<String, Timed>> bySize) {
        List<String> sizes = new ArrayList<>(bySize.keySet());
        StringBuilder header = new StringBuilder("| step |");
        StringBuilder rule = new StringBuilder("| --- |");
        for (String size : sizes) {
            header.append(" ").append(size).append(" s | ").append(size).append(" peak RSS |");
            rule.append(" ---: | ---: |");
        }
        header.append(" peak RSS, largest against smallest |");
        rule.append(" ---: |");
        System.out.printf("%n%s%n%s%n", header, rule);
        for (String step : bySize.get(sizes.get(0)).keySet()) {
            StringBuilder row = new StringBuilder("| " + step + " |");
            for (String size : sizes) {
                Timed timed = bySize.get(size).get(step);
                row.append(String.format(Locale.ROOT, " %.2f | %s |", timed.seconds(), timed.peakRss()));
            }
            double smallest = bySize.get(sizes.get(0)).get(step).peakRssKb();
            double largest = bySize.get(sizes.get(sizes.size() - 1)).get(step).peakRssKb();
            row.append(String.format(Locale.ROOT, " %+.0f %% |", 100 * (largest / smallest - 1)));
            System.out.println(row);
        }
    }

    /** {@code 100M}, {@code 1G}: bytes in binary units, as FERRY_S3_PART_SIZE is given. */
    static long bytesOf(String size) {
        char unit = Character.toUpperCase(size.charAt(size.length() - 1));
        long scale = switch (unit) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        String number = Character.isDigit(unit) ? size : size.substring(0, size.length() - 1);
        return Long.parseLong(number) * scale;
    }
}
