package dev.ferry.pg;

import dev.ferry.core.StepFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Runs pg_dump, pg_dumpall, pg_restore and psql against a {@link PgEndpoint}. Connection settings
 * travel as libpq environment variables and the password as a {@link PgPassfile}, so argv holds
 * nothing secret. stderr is logged line by line and kept for the failure message; a run that
 * exceeds its timeout is killed and reported as exit 5.
 */
public final class PgToolRunner {

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
        try (RunningTool running = start(tool, arguments, RunningTool.Streams.NONE)) {
            return running.await(timeout, tickInterval, tick);
        }
    }

    /**
     * Starts the tool and returns at once; {@code streams} says whether the caller feeds its stdin or
     * reads its stdout. The caller closes the result, which stops the tool if it still runs.
     */
    public RunningTool start(PgTool tool, List<String> arguments, RunningTool.Streams streams) {
        List<String> command = new ArrayList<>();
        command.add(executable(tool));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        libpqEnvironment(builder.environment());
        try {
            return new RunningTool(tool, builder.start(), streams);
        } catch (IOException e) {
            throw StepFailure.badConfiguration("cannot run " + executable(tool) + " (" + e.getMessage()
                    + "): install the PostgreSQL client tools or set " + binDirectorySetting);
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
}
