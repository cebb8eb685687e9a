package dev.ferry.dump;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import dev.ferry.core.TransferProgress;
import dev.ferry.core.workspace.AtomicFiles;
import dev.ferry.core.workspace.DumpFormat;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.pg.PgTool;
import dev.ferry.pg.PgToolRunner;
import dev.ferry.pg.ToolResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Runs pg_dump into the partial name of its output ({@link AtomicFiles#partial}), logs its growth while it runs, and publishes
 * the result under its real name only when pg_dump succeeded. On failure the partial output is
 * removed and pg_dump's stderr becomes the message.
 */
record DatabaseDump(PgToolRunner runner, DumpConfig config, DumpPlan plan, Duration progressInterval) {

    private static final Logger LOG = Logger.getLogger(DatabaseDump.class);

    /**
     * pg_dump's arguments; the connection comes from the environment, the password from PGPASSFILE.
     * {@code snapshot} is the exported snapshot it reads in (its workers too), the inventory's.
     */
    List<String> arguments(Path output, String snapshot) {
        List<String> args = new ArrayList<>();
        args.add("--format=" + config.format().label());
        args.add("--file=" + output);
        args.add("--snapshot=" + snapshot);
        args.add("--compress=" + plan.compression());
        if (config.format() == DumpFormat.DIRECTORY) {
            args.add("--jobs=" + plan.jobs());
        }
        if (config.follow()) {
            // The follow's own publication belongs to the source: restored, it would publish the new cluster's tables.
            args.add("--no-publications");
        }
        args.add("--no-password"); // never wait for a prompt in a pod
        return args;
    }

    /** Dumps the database, as {@code snapshot} shows it, to the workspace's dump output; returns that path. */
    Path run(Workspace workspace, String snapshot) {
        Path target = workspace.dumpOutput(config.format());
        Path partial = AtomicFiles.partial(target);
        AtomicFiles.deleteRecursively(partial); // what a crashed earlier run left behind
        TransferProgress progress =
                new TransferProgress("dump", target.getFileName().toString(), -1, progressInterval);
        LOG.infof(
                "phase=pg_dump format=%s jobs=%d compression=%s output=%s",
                config.format().label(), plan.jobs(), plan.compression(), target);
        ToolResult result;
        try {
            result = runner.run(
                    PgTool.PG_DUMP,
                    arguments(partial, snapshot),
                    config.timeout(),
                    progressInterval,
                    () -> progress.set(DumpFiles.size(partial)));
        } catch (RuntimeException e) {
            AtomicFiles.deleteRecursively(partial);
            throw e;
        }
        if (!result.succeeded()) {
            AtomicFiles.deleteRecursively(partial);
            throw new StepFailure(
                    ExitCode.UNEXPECTED,
                    "pg_dump failed (exit " + result.exitCode() + "): " + result.stderrSummary(1500));
        }
        progress.set(DumpFiles.size(partial));
        progress.finish();
        AtomicFiles.publish(partial, target);
        // A rerun in the other format must not leave the earlier dump beside this one, looking current.
        for (DumpFormat other : DumpFormat.values()) {
            if (other != config.format()) {
                AtomicFiles.deleteRecursively(workspace.dumpOutput(other));
            }
        }
        return target;
    }
}
