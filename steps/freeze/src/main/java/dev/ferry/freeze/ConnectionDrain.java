package dev.ferry.freeze;

import dev.ferry.core.StepFailure;
import dev.ferry.kube.Polling;
import dev.ferry.pg.PgConnector;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Waits until no Onyx process is connected to the database any more: pods can be gone from the API
 * while their connections linger (a node that lost contact), and a dump taken then is not frozen.
 * Onyx sets {@code application_name} per process: {@code web}, {@code celery_beat}, {@code celery_worker_*}.
 */
public final class ConnectionDrain {

    private static final Logger LOG = Logger.getLogger(ConnectionDrain.class);

    static final String ONYX_CONNECTIONS = """
            SELECT application_name, count(*) AS connections
              FROM pg_stat_activity
             WHERE datname = current_database()
               AND pid <> pg_backend_pid()
               AND (application_name IN ('web', 'celery_beat') OR application_name LIKE 'celery\\_worker\\_%')
             GROUP BY application_name
             ORDER BY application_name""";

    private final PgConnector connector;

    public ConnectionDrain(PgConnector connector) {
        this.connector = connector;
    }

    /** The Onyx connections still open, as {@code name×count}. */
    public List<String> remaining() throws SQLException {
        List<String> remaining = new ArrayList<>();
        try (Connection connection = connector.open();
                PreparedStatement statement = connection.prepareStatement(ONYX_CONNECTIONS);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                remaining.add(rows.getString(1) + "x" + rows.getInt(2));
            }
        }
        return remaining;
    }

    public void await(Duration timeout, Polling polling) throws InterruptedException {
        List<List<String>> last = new ArrayList<>(List.of(List.of()));
        boolean drained = polling.until(timeout, () -> {
            try {
                List<String> now = remaining();
                if (!now.equals(last.get(0)) && !now.isEmpty()) {
                    LOG.infof("phase=wait-connections remaining=%s", String.join(",", now));
                }
                last.set(0, now);
                return now.isEmpty();
            } catch (SQLException e) {
                throw StepFailure.badConfiguration("cannot query pg_stat_activity at "
                        + connector.endpoint().describe() + ": " + e.getMessage());
            }
        });
        if (!drained) {
            throw StepFailure.timedOut(
                    "Onyx connections still open after " + timeout.toSeconds() + "s: " + String.join(", ", last.get(0))
                            + " (find them with SELECT pid, application_name, client_addr FROM pg_stat_activity)");
        }
        LOG.info("phase=wait-connections remaining=0");
    }
}
