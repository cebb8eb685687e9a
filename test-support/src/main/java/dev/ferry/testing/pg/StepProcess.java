package dev.ferry.testing.pg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a built step program ({@code target/quarkus-app/quarkus-run.jar}) as its own process, exactly
 * as a Tekton step would: configuration only through environment variables, and the exit code plus
 * everything it printed come back for the test to assert together.
 */
public final class StepProcess {

    /** Inherited variables that would leak the developer's own settings into a test. */
    private static final List<String> SCRUBBED_PREFIXES = List.of("POSTGRES_", "FERRY_", "AWS_", "PG", "QUARKUS_");

    private StepProcess() {
    }

    /** The outcome of one run: exit code and combined stdout/stderr. */
    public record Outcome(int exitCode, String output) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n" + output;
        }
    }

    public static Outcome run(Path quarkusRunJar, Map<String, String> environment, Duration timeout) {
        if (!Files.isRegularFile(quarkusRunJar)) {
            throw new IllegalStateException(quarkusRunJar + " is missing: run the package phase first");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-jar", quarkusRunJar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(key -> SCRUBBED_PREFIXES.stream().anyMatch(key::startsWith));
        builder.environment().putAll(environment);
        Path log = null;
        try {
            log = Files.createTempFile("ferry-step-", ".log");
            builder.redirectOutput(log.toFile());
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(quarkusRunJar + " did not end within " + timeout + ":\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Outcome(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (log != null) {
                log.toFile().delete();
            }
        }
    }
}
