package dev.ferry.restore;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import dev.ferry.pg.PgTool;
import dev.ferry.pg.PgToolRunner;
import dev.ferry.pg.ToolResult;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Gathers planner statistics after the restore (a dump carries none, and until autovacuum gets to the
 * tables every query is planned on guesses). {@code vacuumdb --analyze-in-stages} first gathers coarse
 * statistics for every table, fast, then finer ones; {@code --jobs} analyzes several tables at once.
 */
record PlannerStatistics(PgToolRunner tools, String database, int jobs, Duration timeout) {

    private static final Logger LOG = Logger.getLogger(PlannerStatistics.class);

    /** Runs the analyze; returns its seconds. A failure is exit 1: the data is there, its statistics are not. */
    double gather() {
        long started = System.nanoTime();
        ToolResult result = tools.run(
                PgTool.VACUUMDB,
                List.of(
                        "--analyze-in-stages",
                        "--jobs=" + jobs,
                        "--no-password",
                        "--dbname=" + PgConnInfo.dbname(database)),
                timeout);
        double seconds = (System.nanoTime() - started) / 1e9;
        if (!result.succeeded()) {
            throw new StepFailure(
                    ExitCode.UNEXPECTED,
                    "vacuumdb --analyze-in-stages failed (exit " + result.exitCode() + "): " + result.stderrSummary(500)
                            + " (the data is restored; set FERRY_RESTORE_ANALYZE=false to skip statistics)");
        }
        LOG.infof("phase=analyze jobs=%d seconds=%.1f", jobs, seconds);
        return seconds;
    }
}
