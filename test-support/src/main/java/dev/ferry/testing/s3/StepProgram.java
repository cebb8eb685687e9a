package dev.ferry.testing.s3;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A built step program ({@code target/quarkus-app/quarkus-run.jar}) run as its own process, exactly
 * as a pipeline runs it: configuration only through the environment, outcome as the exit code plus
 * what it logged. The inherited environment is stripped of every setting a step reads, so a
 * developer's own AWS or Postgres variables never leak into a test.
 */
public final class StepProgram {

    private static final List<String> STEP_SETTING_PREFIXES = List.of("AWS_", "FERRY_", "POSTGRES_", "PG");

    private final Path jar;

    private StepProgram(Path jar) {
        this.jar = jar;
    }

    public static StepProgram at(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " does not exist: package the step first "
                    + "(./mvnw -pl steps/<step> -am verify runs integration tests after packaging)");
        }
        return new StepProgram(jar);
    }

    /** Runs the program to its end (at most {@code timeout}) with exactly these step settings. */
    public StepRun run(Map<String, String> settings, Duration timeout) throws IOException, InterruptedException {
        Path output = Files.createTempFile("ferry-step-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            Map<String, String> environment = builder.environment();
            environment.keySet().removeIf(name -> STEP_SETTING_PREFIXES.stream().anyMatch(name::startsWith));
            environment.putAll(settings);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(jar.getFileName() + " did not finish within " + timeout + "; output:\n"
                        + Files.readString(output));
            }
            return new StepRun(process.exitValue(), Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    public StepRun run(Map<String, String> settings) throws IOException, InterruptedException {
        return run(settings, Duration.ofMinutes(3));
    }
}
