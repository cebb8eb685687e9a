package dev.ferry.follow.preflight;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The write transactions running now: creating a logical slot waits until every transaction that holds a
 * transaction id at that moment has ended (a prepared one, until it is committed or rolled back), so a long one
 * stalls the start of a follow. Older than the limit is a refusal; younger ones are listed with their age.
 */
final class WriteTransactions {

    static final String CHECK = "write_transactions";
    private static final int NAMED = 5;

    private WriteTransactions() {}

    /** One transaction holding a transaction id: who runs it and for how long. */
    record Running(String who, double ageSeconds) {
        String describe() {
            return who + " for " + age(ageSeconds);
        }
    }

    static List<Running> running(Connection connection) throws SQLException {
        List<Running> running = new ArrayList<>();
        try (PreparedStatement sql = connection.prepareStatement("""
                        SELECT format('pid %s (%s, application %s)', pid, coalesce(usename, '?'),
                                      coalesce(nullif(application_name, ''), '-')),
                               extract(epoch FROM clock_timestamp() - xact_start)::float8
                        FROM pg_stat_activity
                        WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()
                        UNION ALL
                        SELECT format('prepared transaction %L (%s)', gid, owner),
                               extract(epoch FROM clock_timestamp() - prepared)::float8
                        FROM pg_prepared_xacts WHERE database = current_database()
                        ORDER BY 2 DESC""");
                ResultSet rs = sql.executeQuery()) {
            while (rs.next()) {
                running.add(new Running(rs.getString(1), rs.getDouble(2)));
            }
        }
        return running;
    }

    static List<Finding> check(Connection connection, Duration limit) throws SQLException {
        List<Running> running = running(connection);
        List<Finding> findings = new ArrayList<>();
        double limitSeconds = limit.toNanos() / 1e9;
        List<String> tooOld = running.stream()
                .filter(r -> r.ageSeconds() > limitSeconds)
                .map(Running::describe)
                .toList();
        if (!tooOld.isEmpty()) {
            findings.add(Finding.refused(
                    CHECK,
                    tooOld.size() + " write transaction(s) older than " + age(limitSeconds)
                            + " (FERRY_FOLLOW_PREFLIGHT_MAX_TRANSACTION_AGE): " + named(tooOld)
                            + "; creating the slot would wait for them: let them finish, or end them (SELECT"
                            + " pg_terminate_backend(<pid>); COMMIT PREPARED or ROLLBACK PREPARED '<gid>')"));
        } else if (running.isEmpty()) {
            findings.add(Finding.ok(CHECK, "no write transaction is running"));
        } else {
            findings.add(Finding.ok(
                    CHECK,
                    running.size() + " write transaction(s) running, the oldest "
                            + running.get(0).describe() + "; creating the slot waits for those running then"));
        }
        if (!CatalogReads.truth(
                connection,
                "SELECT rolsuper OR pg_has_role(current_user, 'pg_read_all_stats', 'MEMBER')"
                        + " FROM pg_roles WHERE rolname = current_user")) {
            findings.add(Finding.warning(
                    CHECK,
                    "only this role's own sessions were seen: grant it pg_read_all_stats (or pg_monitor) to see"
                            + " every write transaction"));
        }
        return findings;
    }

    private static String named(List<String> items) {
        return String.join(", ", items.subList(0, Math.min(NAMED, items.size()))) + (items.size() > NAMED ? ", …" : "");
    }

    /** {@code 0.4s}, {@code 42s}, {@code 12m03s}, {@code 2h05m}. */
    static String age(double seconds) {
        if (seconds < 10) {
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        long whole = (long) seconds;
        if (whole < 60) {
            return whole + "s";
        }
        if (whole < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", whole / 60, whole % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", whole / 3600, whole % 3600 / 60);
    }
}
