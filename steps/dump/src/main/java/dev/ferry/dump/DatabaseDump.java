package dev.ferry.dump;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import dev.ferry.core.TransferProgress;
import dev.ferry.core.pg.PgTool;
import dev.ferry.core.pg.PgToolRunner;
import dev.ferry.core.pg.ToolResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Runs pg_dump into a {@code .partial} file or folder, logs its growth while it runs, and publishes
 * the result under its real name only when pg_dump succeeded. On failure the partial output is
 * removed and pg_dump's stderr becomes the message.
 */
final class DatabaseDump {

    private static final Logger LOG = Logger.getLogger(DatabaseDump.class);

    static final String CUSTOM_FILE = "dump.pgdump";
    static final String DIRECTORY_NAME = "dump.dir";

    private final PgToolRunner runner;
    private final DumpConfig config;

    DatabaseDump(PgToolRunner runner, DumpConfig config) {
        this.runner = runner;
        this.config = config;
    }

    static Path target(Path workdir, DumpConfig.Format format) {
        return workdir.resolve(format == DumpConfig.Format.CUSTOM ? CUSTOM_FILE : DIRECTORY_NAME);
    }

    /** pg_dump's arguments; the connection comes from the environment, the password from PGPASSFILE. */
    List<String> arguments(Path output) {
        List<String> args = new ArrayList<>();
        args.add(config.format() == DumpConfig.Format.CUSTOM ? "--format=custom" : "--format=directory");
        args.add("--file=" + output);
        config.compression().ifPresent(level -> args.add("--compress=" + level));
        if (config.format() == DumpConfig.Format.DIRECTORY) {
            args.add("--jobs=" + config.jobs());
        }
        args.add("--no-password"); // never wait for a prompt in a pod
        return args;
    }

    /** Dumps the database to {@code <workdir>/dump.pgdump} or {@code dump.dir}; returns that path. */
    Path run(Path workdir) {
        Path target = target(workdir, config.format());
        Path partial = DumpFiles.partial(target);
        DumpFiles.deleteRecursively(partial); // what a crashed earlier run left behind
        TransferProgress progress = new TransferProgress("dump", target.getFileName().toString(), -1,
                config.progressInterval());
        LOG.infof("phase=pg_dump format=%s jobs=%d compression=%s output=%s", config.format().label(),
                config.jobs(), config.compression().orElse("default"), target);
        ToolResult result;
        try {
            result = runner.run(PgTool.PG_DUMP, arguments(partial), config.timeout(), config.progressInterval(),
                    () -> progress.set(DumpFiles.size(partial)));
        } catch (RuntimeException e) {
            DumpFiles.deleteRecursively(partial);
            throw e;
        }
        if (!result.succeeded()) {
            DumpFiles.deleteRecursively(partial);
            throw new StepFailure(ExitCode.UNEXPECTED,
                    "pg_dump failed (exit " + result.exitCode() + "): " + result.stderrSummary(1500));
        }
        progress.set(DumpFiles.size(partial));
        progress.finish();
        DumpFiles.publish(partial, target);
        return target;
    }
}
