package dev.ferry.testing.pg;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;

/**
 * Onyx-like writes on the fixture, one transaction at a time, until stopped: new chat messages (some large enough
 * to be TOASTed), updates that leave the TOASTed message unchanged, edits, deletes, and key-value upserts and
 * deletes. Follow mode's tests run it from before the slot exists until the freeze; the benchmark gives it a fixed rate
 * of changes per second ({@link #start(PostgresServer, String, ChangeRate)}), so the changes waiting at the freeze are
 * those of an Onyx under a known load, not of whatever the machine allows.
 */
public final class OnyxWriter implements AutoCloseable {

    private final PostgresServer server;
    private final String database;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong changes = new AtomicLong();
    /** Nanoseconds to wait after a transaction that made the given number of changes. */
    private final LongUnaryOperator pause;

    private final CompletableFuture<Void> done;

    private OnyxWriter(PostgresServer server, String database, LongUnaryOperator pause) {
        this.server = server;
        this.database = database;
        this.pause = pause;
        done = CompletableFuture.runAsync(this::write);
    }

    /** A writer that pauses 4 ms after each transaction: a few hundred changes per second, more on a fast machine. */
    public static OnyxWriter start(PostgresServer server, String database) {
        return new OnyxWriter(server, database, changes -> TimeUnit.MILLISECONDS.toNanos(4));
    }

    /** A writer that keeps to {@code rate}: as many changes per second as it says, on any machine that allows them. */
    public static OnyxWriter start(PostgresServer server, String database, ChangeRate rate) {
        return new OnyxWriter(server, database, rate::committed);
    }

    /** Transactions committed so far. */
    public long transactions() {
        return transactions.get();
    }

    /** Rows inserted, updated or deleted by the transactions committed so far. */
    public long changes() {
        return changes.get();
    }

    /** Waits until {@code count} transactions are committed; an AssertionError if the writer failed or took too long. */
    public void awaitTransactions(long count, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (transactions.get() < count) {
            if (done.isDone()) {
                done.join();
                throw new AssertionError("the writer stopped after " + transactions.get() + " transactions");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(count + " writer transactions not committed within " + patience);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private void write() {
        try (Connection c = server.connect(database);
                Statement sql = c.createStatement()) {
            c.setAutoCommit(false);
            String session;
            try (ResultSet rs = sql.executeQuery("SELECT id FROM public.chat_session LIMIT 1")) {
                rs.next();
                session = rs.getString(1);
            }
            for (long i = 0; !stop.get(); i++) {
                long made = switch ((int) (i % 5)) {
                    case 0 ->
                        sql.executeUpdate("INSERT INTO public.chat_message (chat_session_id, message,"
                                + " token_count, message_type, time_sent, files) VALUES ('" + session
                                + "', 'question " + i + "', 3, 'USER', now(), '[{\"id\": " + i + "}]')");
                    case 1 ->
                        sql.executeUpdate("INSERT INTO public.chat_message (chat_session_id, message,"
                                + " token_count, message_type, time_sent) SELECT '" + session
                                + "', string_agg(md5(random()::text), '') , 900, 'ASSISTANT', now()"
                                + " FROM generate_series(1, 200)");
                    case 2 ->
                        sql.executeUpdate("UPDATE public.chat_message SET token_count = token_count + 1"
                                + " WHERE id = (SELECT max(id) FROM public.chat_message"
                                + " WHERE length(message) > 5000)");
                    case 3 ->
                        sql.executeUpdate("DELETE FROM public.chat_message WHERE id ="
                                        + " (SELECT min(id) FROM public.chat_message)")
                                + sql.executeUpdate("INSERT INTO public.key_value_store (key, value) VALUES ('k"
                                        + (i % 40) + "', '{\"n\": " + i + "}')"
                                        + " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value");
                    default ->
                        sql.executeUpdate("UPDATE public.chat_message SET message = message || ' edited'"
                                        + " WHERE id = (SELECT max(id) - 3 FROM public.chat_message)")
                                + sql.executeUpdate(
                                        "DELETE FROM public.key_value_store WHERE key = 'k" + (i * 7 % 40) + "'");
                };
                c.commit();
                transactions.incrementAndGet();
                changes.addAndGet(made);
                // Pacing: an Onyx-like rate, not synchronisation.
                TimeUnit.NANOSECONDS.sleep(pause.applyAsLong(made));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops after the transaction in hand commits, and waits for that. */
    public void stop() {
        stop.set(true);
        done.join();
    }

    @Override
    public void close() {
        stop();
    }
}
