package dev.ferry.pg;

import dev.ferry.core.StepFailure;
import dev.ferry.core.StepStop;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs pg_dump, pg_dumpall, pg_restore and psql against a {@link PgEndpoint}. Connection settings
 * travel as libpq environment variables and the password as a {@link PgPassfile}, so argv holds
 * nothing secret. stderr is logged line by line and kept for the failure message; a run that
 * exceeds its timeout is killed and reported as exit 5.
 */
public final class PgToolRunner {

    private static final Logger LOG = Logger.getLogger(PgToolRunner.class);

    private final PgEndpoint endpoint;
    private final Optional<Path> binDirectory;
    private final String binDirectorySetting;
    private final Optional<Path> passfile;
    private final String applicationName;
    private final Map<String, String> sessionSettings;

    /**
     * @param binDirectory folder holding the client tools; empty means "find them on PATH"
     * @param binDirectorySetting the env var that sets {@code binDirectory}, named in error messages
     * @param passfile the password file to hand to the tools, if the endpoint has a password
     */
    public PgToolRunner(
            PgEndpoint endpoint,
            Optional<Path> binDirectory,
            String binDirectorySetting,
            Optional<Path> passfile,
            String applicationName) {
        this(endpoint, binDirectory, binDirectorySetting, passfile, applicationName, Map.of());
    }

    private PgToolRunner(
            PgEndpoint endpoint,
            Optional<Path> binDirectory,
            String binDirectorySetting,
            Optional<Path> passfile,
            String applicationName,
            Map<String, String> sessionSettings) {
        this.endpoint = endpoint;
        this.binDirectory = binDirectory;
        this.binDirectorySetting = binDirectorySetting;
        this.passfile = passfile;
        this.applicationName = applicationName;
        this.sessionSettings = sessionSettings;
    }

    /**
     * The same runner whose tools' sessions start with these run-time parameters (libpq's PGOPTIONS,
     * {@code -c name=value}): settings of those sessions only, never of the server.
     */
    public PgToolRunner withSessionSettings(Map<String, String> settings) {
        settings.forEach((name, value) -> {
            // PGOPTIONS splits on spaces and treats backslashes as escapes: plain words need neither.
            if (!name.matches("[a-z_]+") || !value.matches("[A-Za-z0-9_.]+")) {
                throw new IllegalArgumentException("not a plain session setting: " + name + "=" + value);
            }
        });
        return new PgToolRunner(
                endpoint, binDirectory, binDirectorySetting, passfile, applicationName, new TreeMap<>(settings));
    }

    /** What the tools' sessions are given through PGOPTIONS, empty when nothing is. */
    public String pgOptions() {
        StringJoiner options = new StringJoiner(" ");
        sessionSettings.forEach((name, value) -> options.add("-c " + name + "=" + value));
        return options.toString();
    }

    /** The program that runs for {@code tool}: inside the configured folder, or its bare name for PATH lookup. */
    public String executable(PgTool tool) {
        return binDirectory
                .map(dir -> dir.resolve(tool.executable()).toString())
                .orElse(tool.executable());
    }

    /** The tool's own version line, e.g. {@code pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)}. */
    public PgVersion version(PgTool tool) {
        ToolResult result = run(tool, List.of("--version"), Duration.ofSeconds(30));
        if (!result.succeeded()) {
            throw StepFailure.badConfiguration(executable(tool) + " --version failed (exit " + result.exitCode() + "): "
                    + result.stderrSummary(300));
        }
        try {
            return PgVersion.parseToolVersion(result.stdout());
        } catch (IllegalArgumentException notPostgres) {
            throw StepFailure.badConfiguration(executable(tool) + " is not a PostgreSQL client tool ("
                    + notPostgres.getMessage() + "): check " + binDirectorySetting);
        }
    }

    public ToolResult run(PgTool tool, List<String> arguments, Duration timeout) {
        return run(tool, arguments, timeout, timeout, () -> {});
    }

    /**
     * Runs the tool to its end or its timeout, calling {@code tick} every {@code tickInterval} while
     * it runs (the dump step polls the growing output there to log progress).
     */
    public ToolResult run(PgTool tool, List<String> arguments, Duration timeout, Duration tickInterval, Runnable tick) {
        List<String> command = new ArrayList<>();
        command.add(executable(tool));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        libpqEnvironment(builder.environment());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw StepFailure.badConfiguration("cannot run " + executable(tool) + " (" + e.getMessage()
                    + "): install the PostgreSQL client tools or set " + binDirectorySetting);
        }
        closeInput(process);
        String name = tool.executable();
        StepStop.Registration stopWithTheStep = StepStop.child(process);
        try {
            return await(tool, process, name, timeout, tickInterval, tick);
        } finally {
            stopWithTheStep.close();
        }
    }

    private ToolResult await(
            PgTool tool, Process process, String name, Duration timeout, Duration tickInterval, Runnable tick) {
        OutputTail stdout = new OutputTail(
                process.getInputStream(), name + "-stdout", line -> LOG.debugf("tool=%s stdout: %s", name, line));
        OutputTail stderr = new OutputTail(
                process.getErrorStream(), name + "-stderr", line -> LOG.infof("tool=%s stderr: %s", name, line));
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    StepStop.stopTree(process);
                    throw StepFailure.timedOut(name + " did not finish within " + timeout
                            + " and was stopped; raise the step's timeout setting if the database is that large");
                }
                if (process.waitFor(Math.min(remaining, tickInterval.toNanos()), TimeUnit.NANOSECONDS)) {
                    break;
                }
                tick.run();
            }
            return new ToolResult(tool, process.exitValue(), stdout.await(), stderr.await());
        } catch (InterruptedException e) {
            StepStop.stopTree(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + " was interrupted", e);
        }
    }

    private void libpqEnvironment(Map<String, String> environment) {
        // Inherited libpq variables (a stray PGPASSWORD, PGSERVICE, PGOPTIONS) must not change what we connect to.
        environment.keySet().removeIf(key -> key.startsWith("PG"));
        environment.put("PGHOST", endpoint.host());
        environment.put("PGPORT", Integer.toString(endpoint.port()));
        environment.put("PGUSER", endpoint.user());
        environment.put("PGDATABASE", endpoint.database());
        environment.put("PGAPPNAME", applicationName);
        environment.put("PGCONNECT_TIMEOUT", Integer.toString(PgConnector.CONNECT_TIMEOUT_SECONDS));
        passfile.ifPresent(file -> environment.put("PGPASSFILE", file.toString()));
        endpoint.sslmode().ifPresent(mode -> environment.put("PGSSLMODE", mode));
        endpoint.sslrootcert().ifPresent(cert -> environment.put("PGSSLROOTCERT", cert));
        if (!sessionSettings.isEmpty()) {
            environment.put("PGOPTIONS", pgOptions());
        }
    }

    /** The tools get no input: a closed stdin makes psql end instead of waiting for a terminal. */
    private static void closeInput(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // The tool may already have ended; nothing to close then.
        }
    }
}
