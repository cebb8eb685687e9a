package dev.ferry.pg;

import dev.ferry.core.DaemonThreads;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The digests of many tables' touched rows ({@link KeyedRowDigests#byKey}), each table's keys split evenly over
 * sessions sharing one snapshot ({@link SharedSnapshot}), each session on a thread of its own: what a follow's
 * cutover waits for grows with the rows touched, and the server reads them side by side.
 */
public final class TouchedRowDigests {

    /** The rows of one table to digest: {@code keys} in PostgreSQL's text form, in {@code keyColumns} order. */
    public record Table(String schema, String table, List<String> keyColumns, Collection<List<String>> keys) {
        public String qualifiedName() {
            return schema + "." + table;
        }
    }

    /**
     * Sessions a cutover digests on, beside the one reading the inventory: the database has nothing else to do in
     * the window, and two already halve the wait on this project's 2-core machine.
     */
    public static final int SESSIONS = 2;

    private TouchedRowDigests() {}

    /**
     * Starts digesting {@code tables} over {@code sessions}; the result maps each table's qualified name to its rows'
     * digests by key (a key without a row has none). A failure on any session fails the whole.
     */
    public static CompletableFuture<Map<String, Map<List<String>, String>>> start(
            List<Connection> sessions, List<Table> tables) {
        Map<String, Map<List<String>, String>> digests = new ConcurrentHashMap<>();
        tables.forEach(table -> digests.put(table.qualifiedName(), new ConcurrentHashMap<>()));
        if (tables.isEmpty()) {
            return CompletableFuture.completedFuture(digests);
        }
        if (sessions.isEmpty()) {
            throw new IllegalArgumentException("rows to digest, and no session to digest them on");
        }
        ExecutorService threads = Executors.newFixedThreadPool(sessions.size(), DaemonThreads.named("ferry-digests"));
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (int part = 0; part < sessions.size(); part++) {
            Connection session = sessions.get(part);
            int index = part;
            parts.add(CompletableFuture.runAsync(
                    () -> digestPart(session, tables, index, sessions.size(), digests), threads));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .whenComplete((done, failure) -> threads.shutdown())
                .thenApply(done -> digests);
    }

    /** This session's share: every {@code parts}-th key of each table, from the {@code part}-th on. */
    private static void digestPart(
            Connection session,
            List<Table> tables,
            int part,
            int parts,
            Map<String, Map<List<String>, String>> digests) {
        try {
            for (Table table : tables) {
                List<List<String>> distinct = new ArrayList<>(new LinkedHashSet<>(table.keys()));
                List<List<String>> mine = new ArrayList<>();
                for (int i = part; i < distinct.size(); i += parts) {
                    mine.add(distinct.get(i));
                }
                if (!mine.isEmpty()) {
                    digests.get(table.qualifiedName())
                            .putAll(KeyedRowDigests.byKey(
                                    session, table.schema(), table.table(), table.keyColumns(), mine));
                }
            }
        } catch (SQLException e) {
            throw new CompletionException(e);
        }
    }
}
