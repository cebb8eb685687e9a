package dev.ferry.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs one program as its own process the way a container runs it: configuration only through the
 * environment (the inherited one stripped of every setting a step reads, so a developer's own AWS or
 * Postgres variables never leak in), output as lines, and a deadline after which the process tree is
 * killed and the outcome says it timed out. The local pipeline harness and the benchmark run every
 * step through it; {@link StepProgram} builds the tests' assertions on it.
 */
public final class ProgramRunner {

    private static final List<String> STEP_SETTING_PREFIXES = List.of("AWS_", "FERRY_", "POSTGRES_", "PG", "QUARKUS_");

    private ProgramRunner() {}

    /** How the program ended: its exit code (-1 when killed at the deadline), everything it wrote, and whether it timed out. */
    public record Outcome(int exitCode, String output, boolean timedOut) {}

    public static Outcome run(
            List<String> command, Map<String, String> settings, Duration timeout, Consumer<String> lines) {
        return start(command, settings, lines).await(timeout);
    }

    /** Starts the program and returns at once, for a caller that acts on it while it runs (sends it a signal). */
    public static Running start(List<String> command, Map<String, String> settings, Consumer<String> lines) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> STEP_SETTING_PREFIXES.stream().anyMatch(name::startsWith));
        environment.putAll(settings);
        try {
            Process process = builder.start();
            return new Running(command.get(0), process, CompletableFuture.supplyAsync(() -> collect(process, lines)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        }
    }

    /** A program that is running. */
    public record Running(String name, Process process, CompletableFuture<String> output) {

        /**
         * Sends SIGTERM, as the kubelet does first when it stops a container. Through the process handle:
         * {@link Process#destroy()} would also close the output the program still writes on its way out.
         */
        public void terminate() {
            process.toHandle().destroy();
        }

        /**
         * Sends SIGKILL, as the kubelet does when the grace period runs out, the OOM killer does, or a node that
         * is lost does in effect: the program gets no chance to clean up.
         */
        public void kill() {
            process.toHandle().destroyForcibly();
        }

        /**
         * Waits until {@code reached} holds, checking every 20 ms, while the program keeps running: an
         * AssertionError when it ends first or {@code timeout} passes (a test's "stop it in the middle" point).
         */
        public void awaitWhileRunning(String what, BooleanSupplier reached, Duration timeout)
                throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached.getAsBoolean()) {
                if (!process.isAlive()) {
                    throw new AssertionError(name + " ended before " + what + ":\n" + output.getNow(""));
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(what + " did not happen within " + timeout);
                }
                Thread.sleep(20);
            }
        }

        /** Waits for the end, at most {@code timeout}; past it the program and everything it started are killed. */
        public Outcome await(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    // As the kubelet ends a container: the program and everything it started.
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor();
                    return new Outcome(-1, output.join(), true);
                }
                return new Outcome(process.exitValue(), output.get(), false);
            } catch (ExecutionException e) {
                throw new UncheckedIOException("cannot read the output of " + name, new IOException(e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while " + name + " ran", e);
            }
        }
    }

    private static String collect(Process process, Consumer<String> lines) {
        StringJoiner all = new StringJoiner("\n");
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                all.add(line);
                lines.accept(line);
            }
        } catch (IOException e) {
            all.add("(output cut: " + e.getMessage() + ")");
        }
        return all.toString();
    }
}
