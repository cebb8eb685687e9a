package dev.ferry.restore;

import dev.ferry.core.DaemonThreads;
import dev.ferry.core.StepFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * pg_restore in its three sections, so that the data section can load the largest tables over several
 * sessions each: pre-data (schemas, types, tables, functions), then the data of every other table with
 * {@code pg_restore -j} while {@link ParallelTableCopy} loads the split ones, then post-data (indexes,
 * constraints, triggers, grants) with {@code pg_restore -j}. Every entry one pg_restore would restore is
 * restored, in pg_restore's own order within its part; only the split tables' rows take another way in.
 */
record SectionedRestore(
        PgRestoreRun restore, TocList toc, SplitTables split, Set<String> serverSettings, Path privateFolder) {

    /** Restores the dump; returns the number of benign errors. {@code tick} runs every {@code tickInterval}. */
    int run(int jobs, Duration timeout, Duration tickInterval, Runnable tick) throws Exception {
        Deadline deadline = Deadline.in(timeout);
        ScheduledExecutorService ticker =
                Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("ferry-restore-progress"));
        ticker.scheduleWithFixedDelay(tick, tickInterval.toMillis(), tickInterval.toMillis(), TimeUnit.MILLISECONDS);
        try {
            int benign = restore.run("pre-data", List.of("--section=pre-data"), 1, deadline.remaining(), timeout, NONE);
            benign += data(jobs, deadline);
            benign +=
                    restore.run("post-data", List.of("--section=post-data"), jobs, deadline.remaining(), timeout, NONE);
            return benign;
        } finally {
            ticker.shutdownNow();
            ticker.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private int data(int jobs, Deadline deadline) throws Exception {
        Set<String> splitEntries =
                split.tables().stream().map(SplitTables.Table::tocEntry).collect(Collectors.toSet());
        Path rest = toc.writeWithout(privateFolder.resolve("data.list"), splitEntries);
        ExecutorService others = Executors.newSingleThreadExecutor(DaemonThreads.named("ferry-restore-data"));
        try {
            Future<Integer> otherTables = others.submit(() -> restore.run(
                    "data",
                    List.of("--section=data", "--use-list=" + rest),
                    jobs,
                    deadline.remaining(),
                    deadline.remaining(),
                    NONE));
            ParallelTableCopy copy =
                    new ParallelTableCopy(restore.tools(), restore.database(), restore.dumpInput(), serverSettings);
            for (SplitTables.Table table : split.tables()) {
                Path only = TocList.writeOnly(privateFolder.resolve("split.list"), table.tocEntry());
                copy.load(table.table().qualifiedName(), only, jobs, deadline);
            }
            return otherTables.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StepFailure failure) {
                throw failure;
            }
            throw e;
        } finally {
            others.shutdownNow(); // a failed split stops the other tables' pg_restore too
        }
    }

    private static final Runnable NONE = () -> {};
}
