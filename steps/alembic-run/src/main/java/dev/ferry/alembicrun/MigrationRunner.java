package dev.ferry.alembicrun;

import java.time.Duration;
import java.util.List;

/** Runs alembic somewhere (a Kubernetes Job, a child process), streams its output into the log, fails clearly. */
public interface MigrationRunner {

    /** Runs the commands in order, stopping at the first failure; throws StepFailure with the alembic error. */
    void run(List<List<String>> commands, Duration timeout) throws InterruptedException;

    /** What the runner would do, for a dry run. */
    String describe(List<List<String>> commands);
}
