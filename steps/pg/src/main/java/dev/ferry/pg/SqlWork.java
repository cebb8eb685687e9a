package dev.ferry.pg;

import dev.ferry.core.DaemonThreads;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Database work done on a thread of its own, awaited where its failure is reported. */
public final class SqlWork {

    private SqlWork() {}

    /** Database work that may throw what JDBC throws. */
    @FunctionalInterface
    public interface Query<T> {
        T run() throws SQLException;
    }

    /** Starts {@code work} on a daemon thread named {@code name}: {@link #await} its result where it is needed. */
    public static <T> CompletableFuture<T> start(String name, Query<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        DaemonThreads.named(name)
                .newThread(() -> {
                    try {
                        result.complete(work.run());
                    } catch (SQLException | RuntimeException | Error e) {
                        result.completeExceptionally(e);
                    }
                })
                .start();
        return result;
    }

    /**
     * The result of {@code started}, its failure thrown as it was thrown on the other thread: an SQLException as one, a
     * StepFailure (a login refused: exit 2 naming the setting) as itself.
     */
    public static <T> T await(CompletableFuture<T> started) throws SQLException {
        try {
            return started.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException failure) {
                throw failure;
            }
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }
}
