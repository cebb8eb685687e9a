package dev.ferry.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One measured program run: wall seconds and peak resident memory, both as GNU time reports them for the
 * program and everything it waited for ({@code /usr/bin/time -f "%e %M"}), so a runbook command and a
 * Ferry step are measured the same way.
 */
record Timed(double seconds, long peakRssKb, String output) {

    static final Path GNU_TIME = Path.of("/usr/bin/time");
    static final Duration TIMEOUT = Duration.ofHours(2);

    static Timed run(List<String> command, Map<String, String> env, Path scratch) {
        try {
            Path report = Files.createTempFile(scratch, "time-", ".txt");
            Path output = Files.createTempFile(scratch, "output-", ".log");
            List<String> argv = new ArrayList<>(List.of(GNU_TIME.toString(), "-f", "%e %M", "-o", report.toString()));
            argv.addAll(command);
            ProcessBuilder builder =
                    new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " ran longer than " + TIMEOUT);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + " exited " + process.exitValue() + ":\n" + tail(printed(output)));
            }
            List<String> lines = Files.readAllLines(report);
            String[] fields = lines.get(lines.size() - 1).trim().split(" ");
            String printed = printed(output);
            Files.delete(report);
            Files.delete(output);
            return new Timed(Double.parseDouble(fields[0]), Long.parseLong(fields[1]), printed);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Several runs in sequence, as one phase: seconds add up, the peak is the largest. */
    static Timed sum(List<Timed> parts) {
        double seconds = parts.stream().mapToDouble(Timed::seconds).sum();
        long peak = parts.stream().mapToLong(Timed::peakRssKb).max().orElse(0);
        return new Timed(seconds, peak, "");
    }

    String peakRss() {
        return String.format(Locale.ROOT, "%.0f MB", peakRssKb / 1024.0);
    }

    /** What the program printed; a tool's log may hold bytes that are not UTF-8 (data, colours). */
    private static String printed(Path output) throws IOException {
        return new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
    }

    private static String tail(String output) {
        return output.length() <= 3000 ? output : output.substring(output.length() - 3000);
    }
}
