package dev.ferry.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A built step program ({@code target/quarkus-app/quarkus-run.jar}) as the tests run it: through
 * {@link ProgramRunner}, exactly as a pipeline runs it, with a program that outlives its time failing
 * the test.
 */
public final class StepProgram {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(3);

    private final List<String> command;

    private static final String SERIAL_COLLECTOR = "-XX:+UseSerialGC";

    private StepProgram(List<String> command) {
        this.command = List.copyOf(command);
    }

    /** The java command that runs a built step program, as its image's entry point does. */
    public static List<String> javaCommand(Path jar) {
        return javaCommand(jar, true);
    }

    /** The same, mapping the step's class data sharing archive only when {@code classCache} (to measure it). */
    public static List<String> javaCommand(Path jar, boolean classCache) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " does not exist: package the step first "
                    + "(./mvnw -pl steps/<step> -am verify runs integration tests after packaging)");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path archive = jar.resolveSibling(CLASS_CACHE);
        // The collector images/ferry-step-jvm.sh runs every step with (its comment says why).
        return classCache && isFresh(archive, jar)
                ? List.of(java, SERIAL_COLLECTOR, "-XX:SharedArchiveFile=" + archive, "-jar", jar.toString())
                : List.of(java, SERIAL_COLLECTOR, "-jar", jar.toString());
    }

    /**
     * The step's class data sharing archive, made by images/train-class-cache.sh after packaging; the
     * image's entry point maps it the same way. One older than the jar is from an earlier build and
     * would only make the JVM warn, so it is left out.
     */
    static final String CLASS_CACHE = "app-cds.jsa";

    private static boolean isFresh(Path archive, Path jar) {
        try {
            return Files.isRegularFile(archive)
                    && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) >= 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    public static StepProgram at(Path jar) {
        return new StepProgram(javaCommand(jar));
    }

    /** A program that is not a Ferry step, run with the same environment rules; {@code command} is the argv. */
    public static StepProgram command(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least the program");
        }
        return new StepProgram(command);
    }

    public StepRun run(Map<String, String> settings) {
        return run(settings, DEFAULT_TIMEOUT);
    }

    public StepRun run(Map<String, String> settings, Duration timeout) {
        return run(settings, timeout, line -> {});
    }

    /** Runs the program to its end, handing each output line to {@code lines}; one that outlives {@code timeout} fails the test. */
    public StepRun run(Map<String, String> settings, Duration timeout, Consumer<String> lines) {
        ProgramRunner.Outcome outcome = ProgramRunner.run(command, settings, timeout, lines);
        if (outcome.timedOut()) {
            throw new AssertionError(
                    command.get(0) + " did not finish within " + timeout + "; output:\n" + outcome.output());
        }
        return new StepRun(outcome.exitCode(), outcome.output());
    }
}
