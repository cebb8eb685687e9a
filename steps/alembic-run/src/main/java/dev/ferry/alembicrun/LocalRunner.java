package dev.ferry.alembicrun;

import dev.ferry.core.StepFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs alembic as a child process in the Onyx backend folder (where alembic.ini lives), with the
 * database settings in its environment (never in argv), streaming its output line by line.
 */
public final class LocalRunner implements MigrationRunner {

    private static final Logger LOG = Logger.getLogger(LocalRunner.class);

    private final Path workdir;
    private final Map<String, String> environment;

    /** {@code environment} is added to this process's own (Onyx's env.py reads POSTGRES_* from it). */
    public LocalRunner(Path workdir, Map<String, String> environment) {
        this.workdir = workdir;
        this.environment = Map.copyOf(environment);
    }

    @Override
    public void run(List<List<String>> commands, Duration timeout) throws InterruptedException {
        if (!Files.isRegularFile(workdir.resolve("alembic.ini"))) {
            throw StepFailure.badConfiguration("FERRY_ALEMBIC_WORKDIR " + workdir + " has no alembic.ini");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (List<String> command : commands) {
            runOne(command, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), timeout);
        }
    }

    private void runOne(List<String> command, Duration left, Duration timeout) throws InterruptedException {
        String shown = String.join(" ", command);
        LOG.infof("phase=migrate mode=local command=\"%s\" cwd=%s", shown, workdir);
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(workdir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw StepFailure.badConfiguration(
                    "cannot start " + command.get(0) + " (FERRY_ALEMBIC_EXECUTABLE): " + e.getMessage());
        }
        OutputLines output = new OutputLines("alembic");
        Thread pump = daemon("alembic-output", () -> {
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    output.accept(line);
                }
            } catch (IOException e) {
                LOG.debugf("alembic output closed: %s", e.getMessage());
            }
        });
        if (!process.waitFor(left.toNanos(), TimeUnit.NANOSECONDS)) {
            process.destroyForcibly();
            throw StepFailure.timedOut("\"" + shown + "\" still running after " + timeout.toSeconds()
                    + "s (FERRY_ALEMBIC_TIMEOUT); stopped it");
        }
        pump.join(TimeUnit.SECONDS.toMillis(10));
        if (process.exitValue() != 0) {
            throw AlembicFailure.explain(
                    "\"" + shown + "\" (exit " + process.exitValue() + ")",
                    "the alembic scripts in " + workdir,
                    output.tail());
        }
    }

    @Override
    public String describe(List<List<String>> commands) {
        return "local process in " + workdir + ": "
                + String.join(
                        " && ", commands.stream().map(c -> String.join(" ", c)).toList());
    }

    private static Thread daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Onyx's object-storage settings reach the child through this step's own environment. */
    @Override
    public java.util.Optional<String> objectStorage() {
        return java.util.Optional.ofNullable(System.getenv("S3_AWS_ACCESS_KEY_ID"))
                .or(() -> java.util.Optional.ofNullable(environment.get("S3_AWS_ACCESS_KEY_ID")))
                .map(key -> "this step's environment (S3_AWS_ACCESS_KEY_ID)");
    }
}
