package dev.ferry.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A built step program ({@code target/quarkus-app/quarkus-run.jar}) run as its own process, exactly
 * as a pipeline runs it: configuration only through the environment, outcome as the exit code plus
 * what it logged. The inherited environment is stripped of every setting a step reads, so a
 * developer's own AWS or Postgres variables never leak into a test or a rehearsal.
 */
public final class StepProgram {

    private static final List<String> STEP_SETTING_PREFIXES = List.of("AWS_", "FERRY_", "POSTGRES_", "PG", "QUARKUS_");
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(3);

    private final List<String> command;
    private final String name;

    private StepProgram(List<String> command, String name) {
        this.command = List.copyOf(command);
        this.name = name;
    }

    public static StepProgram at(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " does not exist: package the step first "
                    + "(./mvnw -pl steps/<step> -am verify runs integration tests after packaging)");
        }
        return new StepProgram(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()),
                jar.getFileName().toString());
    }

    /**
     * A program that is not a Ferry step (e.g. a PostgreSQL client tool a pipeline step calls), run
     * with the same environment rules; {@code command} is the argv, program first.
     */
    public static StepProgram command(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least the program");
        }
        return new StepProgram(command, command.get(0));
    }

    public StepRun run(Map<String, String> settings) {
        return run(settings, DEFAULT_TIMEOUT);
    }

    public StepRun run(Map<String, String> settings, Duration timeout) {
        return run(settings, timeout, line -> { });
    }

    /** Runs the program to its end (at most {@code timeout}), handing each output line to {@code lines} as it comes. */
    public StepRun run(Map<String, String> settings, Duration timeout, Consumer<String> lines) {
        try {
            return runProcess(settings, timeout, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + name + " ran", e);
        }
    }

    private StepRun runProcess(Map<String, String> settings, Duration timeout, Consumer<String> lines)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> STEP_SETTING_PREFIXES.stream().anyMatch(name::startsWith));
        environment.putAll(settings);
        Process process = builder.start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> collect(process, lines));
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(name + " did not finish within " + timeout + "; output:\n" + output.join());
        }
        try {
            return new StepRun(process.exitValue(), output.get());
        } catch (ExecutionException e) {
            throw new IOException("cannot read the output of " + name, e.getCause());
        }
    }

    private static String collect(Process process, Consumer<String> lines) {
        StringJoiner all = new StringJoiner("\n");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
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
