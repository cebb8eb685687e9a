package dev.ferry.follow;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Sets {@code REPLICA IDENTITY USING INDEX} on the tables that need it before the publication exists (a publication
 * that publishes updates makes the source refuse UPDATE and DELETE on a table without a replica identity), and puts
 * back what each had afterwards. Using an index costs no extra WAL; {@code FULL} wrote 14 times the WAL on Onyx's
 * TOASTed messages, so Ferry never sets it.
 */
public final class ReplicaIdentities {

    /** How long an ALTER may wait for its lock before giving up: it must never queue Onyx's writers for long. */
    public static final String LOCK_TIMEOUT = "5s";

    private ReplicaIdentities() {}

    /** A table whose replica identity a follow changed, to {@code index}, and what it was: DEFAULT, NOTHING or FULL. */
    public record Changed(String table, String index, String before) {}

    /** What a follow changes: every {@link TableKeys.Kind#UNIQUE_INDEX_TO_SET} table, to its usable unique index. */
    public static List<Changed> toSet(List<TableKeys.TableKey> keys) {
        return keys.stream()
                .filter(key -> key.kind() == TableKeys.Kind.UNIQUE_INDEX_TO_SET)
                .map(key -> new Changed(key.table(), key.index(), setting(key.replicaIdentity())))
                .toList();
    }

    /**
     * Sets the replica identity of every {@link TableKeys.Kind#UNIQUE_INDEX_TO_SET} table, in a transaction of its
     * own. A follow sets them in the transaction that creates its publication ({@link FollowPublication#create}).
     */
    public static List<Changed> set(Connection source, List<TableKeys.TableKey> keys) throws SQLException {
        List<Changed> changed = toSet(keys);
        inOneTransaction(source, sql -> alter(sql, changed));
        return changed;
    }

    /** Puts back what {@link #set} (or a follow's publication) changed, in one transaction. */
    public static void restore(Connection source, List<Changed> changed) throws SQLException {
        if (changed.isEmpty()) {
            return;
        }
        restoreThen(source, changed, List.of());
    }

    /**
     * Puts back what {@link #set} changed and runs {@code then} in the same transaction: dropping the publication
     * there leaves no moment in which a table has lost its identity while a publication still publishes its updates
     * (the source would refuse them), and a failure keeps both, with the record of what to put back.
     */
    public static void restoreThen(Connection source, List<Changed> changed, List<String> then) throws SQLException {
        inOneTransaction(source, sql -> {
            for (Changed c : changed) {
                sql.execute("ALTER TABLE " + c.table() + " REPLICA IDENTITY " + c.before());
            }
            for (String statement : then) {
                sql.execute(statement);
            }
        });
    }

    /** The ALTERs that set {@code changed}, in the caller's transaction. */
    static void alter(Statement sql, List<Changed> changed) throws SQLException {
        for (Changed c : changed) {
            sql.execute("ALTER TABLE " + c.table() + " REPLICA IDENTITY USING INDEX " + c.index());
        }
    }

    private static String setting(char replicaIdentity) {
        return switch (replicaIdentity) {
            case 'n' -> "NOTHING";
            case 'f' -> "FULL";
            default -> "DEFAULT";
        };
    }

    /** Statements run together: all or none committed. */
    @FunctionalInterface
    interface Work {
        void run(Statement sql) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction whose lock waits end after {@link #LOCK_TIMEOUT}: a table lock held by a
     * long Onyx transaction fails the work instead of queueing every writer behind it.
     */
    static void inOneTransaction(Connection connection, Work work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement sql = connection.createStatement()) {
            sql.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
            work.run(sql);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
