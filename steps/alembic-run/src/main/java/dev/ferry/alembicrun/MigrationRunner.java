package dev.ferry.alembicrun;

import java.time.Duration;
import java.util.List;

/** Runs alembic somewhere (a Kubernetes Job, a child process), streams its output into the log, fails clearly. */
public interface MigrationRunner {

    /** Runs the commands in order, stopping at the first failure; throws StepFailure with the alembic error. */
    void run(List<List<String>> commands, Duration timeout) throws InterruptedException;

    /** What the runner would do, for a dry run. */
    String describe(List<List<String>> commands);

    /**
     * Where the migrations find Onyx's object storage (its Secret, the pod's service account, the environment),
     * or empty when nothing gives it to them: migration c9e2cd766c29 needs it for a database that predates it.
     */
    java.util.Optional<String> objectStorage();

    /** The migrations will move files into the object storage: a runner that can make its settings required does. */
    default void requireObjectStorage() {}
}
