package dev.ferry.follow;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Sets {@code REPLICA IDENTITY USING INDEX} on the tables that need it before the publication exists (a publication
 * that publishes updates makes the source refuse UPDATE and DELETE on a table without a replica identity), and puts
 * back what each had afterwards. Using an index costs no extra WAL; {@code FULL} wrote 14 times the WAL on Onyx's
 * TOASTed messages, so Ferry never sets it.
 */
public final class ReplicaIdentities {

    /** How long an ALTER may wait for its lock before giving up: it must never queue Onyx's writers for long. */
    static final String LOCK_TIMEOUT = "5s";

    private ReplicaIdentities() {}

    /** A table whose replica identity a follow changed, to {@code index}, and what it was: DEFAULT, NOTHING or FULL. */
    public record Changed(String table, String index, String before) {}

    /** Sets the replica identity of every {@link TableKeys.Kind#UNIQUE_INDEX_TO_SET} table, in one transaction. */
    public static List<Changed> set(Connection source, List<TableKeys.TableKey> keys) throws SQLException {
        List<Changed> changed = new ArrayList<>();
        for (TableKeys.TableKey key : keys) {
            if (key.kind() == TableKeys.Kind.UNIQUE_INDEX_TO_SET) {
                changed.add(new Changed(key.table(), key.index(), setting(key.replicaIdentity())));
            }
        }
        inOneTransaction(
                source,
                changed.stream()
                        .map(c -> "ALTER TABLE " + c.table() + " REPLICA IDENTITY USING INDEX " + c.index())
                        .toList());
        return changed;
    }

    /** Puts back what {@link #set} changed. */
    public static void restore(Connection source, List<Changed> changed) throws SQLException {
        restoreThen(source, changed, List.of());
    }

    /**
     * Puts back what {@link #set} changed and runs {@code then} in the same transaction: dropping the publication
     * there leaves no moment in which a table has lost its identity while a publication still publishes its updates
     * (the source would refuse them), and a failure keeps both, with the record of what to put back.
     */
    public static void restoreThen(Connection source, List<Changed> changed, List<String> then) throws SQLException {
        List<String> statements = new ArrayList<>();
        changed.forEach(c -> statements.add("ALTER TABLE " + c.table() + " REPLICA IDENTITY " + c.before()));
        statements.addAll(then);
        inOneTransaction(source, statements);
    }

    private static String setting(char replicaIdentity) {
        return switch (replicaIdentity) {
            case 'n' -> "NOTHING";
            case 'f' -> "FULL";
            default -> "DEFAULT";
        };
    }

    private static void inOneTransaction(Connection connection, List<String> statements) throws SQLException {
        if (statements.isEmpty()) {
            return;
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement sql = connection.createStatement()) {
            sql.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
            for (String statement : statements) {
                sql.execute(statement);
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
