package dev.ferry.restore;

import dev.ferry.core.StepFailure;
import dev.ferry.pg.PgTool;
import dev.ferry.pg.PgToolRunner;
import dev.ferry.pg.ToolResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * pg_restore into the target with the step's own options (clean, no owner), for the whole dump or a
 * part of it (a section, a list file), judged one way: benign errors are counted and logged, any other
 * error fails the step with exit 4 naming it, since the target then does not hold what the dump holds.
 */
record PgRestoreRun(PgToolRunner tools, String database, Path dumpInput, boolean clean, boolean noOwner) {

    private static final Logger LOG = Logger.getLogger(PgRestoreRun.class);

    /**
     * Runs pg_restore with {@code selection} (e.g. {@code --section=pre-data}; empty for everything);
     * returns the number of benign errors. {@code tick} is called every {@code tickInterval} while it runs.
     */
    int run(String part, List<String> selection, int jobs, Duration timeout, Duration tickInterval, Runnable tick) {
        List<String> arguments = new ArrayList<>(List.of("--dbname=" + PgConnInfo.dbname(database), "--no-password"));
        if (jobs > 1) {
            arguments.add("--jobs=" + jobs);
        }
        if (clean) {
            arguments.add("--clean");
            arguments.add("--if-exists");
        }
        if (noOwner) {
            arguments.add("--no-owner");
            arguments.add("--no-privileges");
        }
        arguments.addAll(selection);
        arguments.add(dumpInput.toString());
        LOG.infof(
                "phase=pg_restore part=%s jobs=%d clean=%s no_owner=%s input=%s",
                part, jobs, clean, noOwner, dumpInput.getFileName());
        long started = System.nanoTime();
        ToolResult result = tools.run(PgTool.PG_RESTORE, arguments, timeout, tickInterval, tick);
        RestoreErrors errors = RestoreErrors.parse(PgTool.PG_RESTORE.executable(), result.stderr());
        LOG.infof(
                "phase=pg_restore part=%s exit=%d benign_errors=%d errors=%d seconds=%.1f",
                part,
                result.exitCode(),
                errors.benign().size(),
                errors.fatal().size(),
                (System.nanoTime() - started) / 1e9);
        errors.benign().forEach(message -> LOG.infof("phase=pg_restore benign_error=\"%s\"", message));
        if (!errors.fatal().isEmpty()) {
            throw StepFailure.verificationFailed(
                    "pg_restore reported " + errors.fatal().size()
                            + " errors, so the target does not hold what the dump holds: " + errors.fatalSummary(5));
        }
        // pg_restore exits 1 whenever it ignored an error; when each one it reported is benign, nothing is missing.
        boolean onlyBenignErrors = result.exitCode() == 1 && !errors.benign().isEmpty();
        if (!result.succeeded() && !onlyBenignErrors) {
            throw StepFailure.verificationFailed(
                    "pg_restore failed (exit " + result.exitCode() + "): " + result.stderrSummary(500));
        }
        return errors.benign().size();
    }
}
