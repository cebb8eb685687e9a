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

/**
 * Onyx-like writes on the fixture, one transaction at a time, until stopped: new chat messages (some large enough
 * to be TOASTed), updates that leave the TOASTed message unchanged, edits, deletes, and key-value upserts and
 * deletes. Follow mode's tests run it from before the slot exists until the freeze.
 */
public final class OnyxWriter implements AutoCloseable {

    private final PostgresServer server;
    private final String database;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong transactions = new AtomicLong();
    private final CompletableFuture<Void> done;

    private OnyxWriter(PostgresServer server, String database) {
        this.server = server;
        this.database = database;
        done = CompletableFuture.runAsync(this::write);
    }

    public static OnyxWriter start(PostgresServer server, String database) {
        return new OnyxWriter(server, database);
    }

    /** Transactions committed so far. */
    public long transactions() {
        return transactions.get();
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
                switch ((int) (i % 5)) {
                    case 0 ->
                        sql.execute("INSERT INTO public.chat_message (chat_session_id, message, token_count,"
                                + " message_type, time_sent, files) VALUES ('" + session + "', 'question " + i
                                + "', 3, 'USER', now(), '[{\"id\": " + i + "}]')");
                    case 1 ->
                        sql.execute("INSERT INTO public.chat_message (chat_session_id, message, token_count,"
                                + " message_type, time_sent) SELECT '" + session
                                + "', string_agg(md5(random()::text), '') , 900, 'ASSISTANT', now()"
                                + " FROM generate_series(1, 200)");
                    case 2 ->
                        sql.execute("UPDATE public.chat_message SET token_count = token_count + 1 WHERE id ="
                                + " (SELECT max(id) FROM public.chat_message WHERE length(message) > 5000)");
                    case 3 -> {
                        sql.execute(
                                "DELETE FROM public.chat_message WHERE id = (SELECT min(id) FROM public.chat_message)");
                        sql.execute("INSERT INTO public.key_value_store (key, value) VALUES ('k" + (i % 40)
                                + "', '{\"n\": " + i + "}') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value");
                    }
                    default -> {
                        sql.execute("UPDATE public.chat_message SET message = message || ' edited'"
                                + " WHERE id = (SELECT max(id) - 3 FROM public.chat_message)");
                        sql.execute("DELETE FROM public.key_value_store WHERE key = 'k" + (i * 7 % 40) + "'");
                    }
                }
                c.commit();
                transactions.incrementAndGet();
                TimeUnit.MILLISECONDS.sleep(4); // pacing: an Onyx-like rate, not synchronisation
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
