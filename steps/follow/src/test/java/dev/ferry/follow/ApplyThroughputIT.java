package dev.ferry.follow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 80,000 changes (bulk inserts into a chat_message-shaped table keyed by its replica identity index and a key-value
 * table, updates, deletes) captured from PostgreSQL 15 and applied on 17, with the rates logged as
 * {@code follow-throughput: capture=<n>/s apply=<n>/s} and the tables' contents compared. Long runs of one change
 * shape, as here, are apply's best case: each run goes as one JDBC batch.
 */
class ApplyThroughputIT {

    private static final Logger LOG = Logger.getLogger(ApplyThroughputIT.class);
    private static final String SCHEMA = """
            CREATE TABLE public.chat_message (id integer NOT NULL, message text NOT NULL, token_count integer,
              time_sent timestamptz NOT NULL DEFAULT now(), CONSTRAINT chat_message_id_key UNIQUE (id));
            ALTER TABLE public.chat_message REPLICA IDENTITY USING INDEX chat_message_id_key;
            CREATE TABLE public.key_value_store (key text PRIMARY KEY, value jsonb)""";

    @TempDir
    Path work;

    @Test
    void tens_of_thousands_of_changes_arrive_whole_and_the_rates_are_logged() throws Exception {
        try (PostgresServer source = PostgresServer.start(PgMajor.EXTRA, Map.of("wal_level", "logical"));
                PostgresServer target = PostgresServer.start(PgMajor.LATEST)) {
            source.createDatabase("onyx");
            target.createDatabase("onyx");
            execute(target, SCHEMA);
            execute(source, SCHEMA);
            SegmentStore store = new DirectorySegmentStore(work.resolve("segments"));
            FollowSlot.Created slot;
            Capture.Result captured;
            double captureSeconds;
            try (Connection c = source.connect("onyx")) {
                FollowSlot.createPublication(c, "throughput");
                try {
                    try (Connection replication = FollowSlot.replicationConnection(
                            source.jdbcUrl("onyx"), source.superuser(), source.superuserPassword(), "throughput")) {
                        slot = FollowSlot.create(replication, "throughput");
                        write(c);
                        FollowSlot.emitDrainMarker(c, "done");
                        long started = System.nanoTime();
                        captured = new Capture(
                                        replication,
                                        "throughput",
                                        "throughput",
                                        store,
                                        slot.consistentPoint(),
                                        new Capture.Limits(5_000, 8 << 20, Duration.ofSeconds(5)))
                                .run(() -> false);
                        captureSeconds = (System.nanoTime() - started) / 1e9;
                    }
                } finally {
                    FollowExactlyOnceIT.awaitSlotInactive(c, "throughput");
                    FollowSlot.drop(c, "throughput", "throughput");
                }
            }
            long started = System.nanoTime();
            try (Connection c = target.connect("onyx");
                    SegmentApplier apply = SegmentApplier.open(c, "throughput", slot.consistentPoint())) {
                for (String name : store.names()) {
                    assertThat(apply.apply(SegmentCodec.decode(store.get(name), name)))
                            .isEqualTo(SegmentApplier.Outcome.APPLIED);
                }
            }
            double applySeconds = (System.nanoTime() - started) / 1e9;
            LOG.infof(
                    "follow-throughput: changes=%d segments=%d capture=%.0f/s apply=%.0f/s",
                    captured.changes(),
                    captured.segments(),
                    captured.changes() / captureSeconds,
                    captured.changes() / applySeconds);

            assertThat(captured.changes()).isEqualTo(80_000);
            for (String digest : new String[] {
                "SELECT count(*) || ':' || sum(token_count) || ':' || md5(string_agg(id || message, ',' ORDER BY id))"
                        + " FROM public.chat_message",
                "SELECT count(*) || ':' || md5(string_agg(key || value::text, ',' ORDER BY key)) FROM public.key_value_store"
            }) {
                assertThat(text(target, digest)).isEqualTo(text(source, digest));
            }
        }
    }

    /** 40,000 + 10,000 inserts, 20,000 updates, 10,000 deletes, a thousand rows per statement. */
    private static void write(Connection c) throws SQLException {
        try (Statement sql = c.createStatement()) {
            for (int t = 0; t < 40; t++) {
                sql.execute("INSERT INTO public.chat_message (id, message, token_count) SELECT i, 'message ' || i"
                        + " || repeat('x', 200), 3 FROM generate_series(" + (t * 1000 + 1) + ", " + (t + 1) * 1000
                        + ") i");
                sql.execute("INSERT INTO public.key_value_store SELECT 'k' || i, jsonb_build_object('n', i)"
                        + " FROM generate_series(" + (t * 250 + 1) + ", " + (t + 1) * 250 + ") i");
            }
            for (int t = 0; t < 20; t++) {
                sql.execute("UPDATE public.chat_message SET token_count = token_count + 1 WHERE id BETWEEN "
                        + (t * 1000 + 1) + " AND " + (t + 1) * 1000);
            }
            sql.execute("DELETE FROM public.chat_message WHERE id % 4 = 0");
        }
    }

    private static void execute(PostgresServer server, String statements) throws SQLException {
        try (Connection c = server.connect("onyx");
                Statement sql = c.createStatement()) {
            sql.execute(statements);
        }
    }

    private static String text(PostgresServer server, String query) throws SQLException {
        try (Connection c = server.connect("onyx");
                Statement sql = c.createStatement();
                ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
