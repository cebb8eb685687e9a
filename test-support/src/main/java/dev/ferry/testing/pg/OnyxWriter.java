package dev.ferry.testing.pg;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;

/**
 * Onyx-like writes on the fixture, one transaction at a time, until stopped: new chat messages (some large enough
 * to be TOASTed), updates that leave the TOASTed message unchanged, edits, deletes, and key-value upserts and
 * deletes. Follow mode's tests run it from before the slot exists until the freeze. On the multi-tenant layout it
 * writes in every tenant schema in turn and changes {@code public.user_tenant_mapping} too (a user added, one moved to
 * another tenant and renamed, one removed), as Onyx's sign-ups and invitations do. The benchmark gives it a fixed rate
 * of changes per second ({@link #start(PostgresServer, String, ChangeRate)}), so the changes waiting at the freeze are
 * those of an Onyx under a known load, not of whatever the machine allows.
 */
public final class OnyxWriter implements AutoCloseable {

    private final PostgresServer server;
    private final String database;
    private final List<String> schemas;
    private final boolean tenantMapping;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong changes = new AtomicLong();
    /** Nanoseconds to wait after a transaction that made the given number of changes. */
    private final LongUnaryOperator pause;

    private final CompletableFuture<Void> done;

    private OnyxWriter(
            PostgresServer server,
            String database,
            List<String> schemas,
            boolean tenantMapping,
            LongUnaryOperator pause) {
        this.server = server;
        this.database = database;
        this.schemas = List.copyOf(schemas);
        this.tenantMapping = tenantMapping;
        this.pause = pause;
        done = CompletableFuture.runAsync(this::write);
    }

    /** A few hundred changes per second (4 ms after each transaction, more on a fast machine). */
    private static final LongUnaryOperator FOUR_MS = changes -> TimeUnit.MILLISECONDS.toNanos(4);

    /** Writes in {@code public}, the single-tenant layout, pausing 4 ms after each transaction. */
    public static OnyxWriter start(PostgresServer server, String database) {
        return new OnyxWriter(server, database, List.of("public"), false, FOUR_MS);
    }

    /**
     * Writes in {@code public} and keeps to {@code rate}: as many changes per second as it says, on any machine that
     * allows them.
     */
    public static OnyxWriter start(PostgresServer server, String database, ChangeRate rate) {
        return new OnyxWriter(server, database, List.of("public"), false, rate::committed);
    }

    /** Writes in every tenant schema of the multi-tenant layout and in {@code public.user_tenant_mapping}. */
    public static OnyxWriter startMultiTenant(PostgresServer server, String database) {
        return new OnyxWriter(server, database, OnyxFixture.TENANT_SCHEMAS, true, FOUR_MS);
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
            List<String> sessions = new ArrayList<>();
            for (String schema : schemas) {
                try (ResultSet rs = sql.executeQuery(
                        "SELECT id FROM " + PostgresServer.quote(schema) + ".chat_session ORDER BY id LIMIT 1")) {
                    rs.next();
                    sessions.add(rs.getString(1));
                }
            }
            for (long i = 0; !stop.get(); i++) {
                int tenant = (int) (i % schemas.size());
                long made = writeChat(sql, PostgresServer.quote(schemas.get(tenant)), sessions.get(tenant), i);
                if (tenantMapping) {
                    made += changeTenantMapping(
                            sql, schemas.get(tenant), schemas.get((tenant + 1) % schemas.size()), i);
                }
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

    /** One of five Onyx-like writes on schema {@code s}'s chat history and key-value store; the rows it changed. */
    private static int writeChat(Statement sql, String s, String session, long i) throws SQLException {
        return switch ((int) (i % 5)) {
            case 0 ->
                sql.executeUpdate("INSERT INTO " + s + ".chat_message (chat_session_id, message, token_count,"
                        + " message_type, time_sent, files) VALUES ('" + session + "', 'question " + i
                        + "', 3, 'USER', now(), '[{\"id\": " + i + "}]')");
            case 1 ->
                sql.executeUpdate("INSERT INTO " + s + ".chat_message (chat_session_id, message, token_count,"
                        + " message_type, time_sent) SELECT '" + session
                        + "', string_agg(md5(random()::text), '') , 900, 'ASSISTANT', now()"
                        + " FROM generate_series(1, 200)");
            case 2 ->
                sql.executeUpdate("UPDATE " + s + ".chat_message SET token_count = token_count + 1 WHERE id ="
                        + " (SELECT max(id) FROM " + s + ".chat_message WHERE length(message) > 5000)");
            case 3 ->
                sql.executeUpdate("DELETE FROM " + s + ".chat_message WHERE id = (SELECT min(id) FROM " + s
                                + ".chat_message)")
                        + sql.executeUpdate("INSERT INTO " + s + ".key_value_store (key, value) VALUES ('k" + (i % 40)
                                + "', '{\"n\": " + i + "}') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value");
            default ->
                sql.executeUpdate("UPDATE " + s + ".chat_message SET message = message || ' edited'"
                                + " WHERE id = (SELECT max(id) - 3 FROM " + s + ".chat_message)")
                        + sql.executeUpdate(
                                "DELETE FROM " + s + ".key_value_store WHERE key = 'k" + (i * 7 % 40) + "'");
        };
    }

    /**
     * A sign-up into {@code tenant}, then in turn: a user moved from {@code tenant} to {@code other} and renamed (its
     * key, {@code email}, changes), a user deactivated, a user removed; the rows it changed.
     */
    private static int changeTenantMapping(Statement sql, String tenant, String other, long i) throws SQLException {
        int made = sql.executeUpdate("INSERT INTO public.user_tenant_mapping (email, tenant_id, active) VALUES ('signup"
                + i + "@writer.example', '" + tenant + "', true)");
        String oldest = "(SELECT min(email) FROM public.user_tenant_mapping WHERE tenant_id = '" + tenant + "')";
        return made
                + switch ((int) (i % 3)) {
                    case 0 ->
                        sql.executeUpdate("UPDATE public.user_tenant_mapping SET tenant_id = '" + other
                                + "', email = 'moved" + i + "@writer.example' WHERE email = " + oldest);
                    case 1 ->
                        sql.executeUpdate(
                                "UPDATE public.user_tenant_mapping SET active = NOT active WHERE email = " + oldest);
                    default -> sql.executeUpdate("DELETE FROM public.user_tenant_mapping WHERE email = " + oldest);
                };
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
