package dev.ferry.pg;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Database work done on a thread of its own, awaited where its failure is reported. */
public final class SqlWork {

    private SqlWork() {}

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
