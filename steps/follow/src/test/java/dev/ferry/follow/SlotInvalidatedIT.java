package dev.ferry.follow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slot that lags further than {@code max_slot_wal_keep_size} is invalidated at the next checkpoint while the source
 * keeps running; capture then refuses with one line that says so and names the way on, a new base copy.
 */
class SlotInvalidatedIT {

    @TempDir
    Path work;

    @Test
    void a_slot_the_wal_cap_invalidated_is_a_clear_refusal_naming_a_new_base_copy() throws Exception {
        try (PostgresServer source =
                PostgresServer.start(PgMajor.EXTRA, Map.of("wal_level", "logical", "max_slot_wal_keep_size", "1MB"))) {
            source.createDatabase("onyx");
            try (Connection c = source.connect("onyx");
                    Statement sql = c.createStatement()) {
                sql.execute("CREATE TABLE public.chat_message (id integer PRIMARY KEY, message text)");
                FollowSlot.createPublication(c, "capped");
                FollowSlot.Created slot;
                try (Connection replication = FollowSlot.replicationConnection(
                        source.jdbcUrl("onyx"), source.superuser(), source.superuserPassword(), "capped")) {
                    slot = FollowSlot.create(replication, "capped");
                }
                try {
                    FollowExactlyOnceIT.awaitSlotInactive(c, "capped");
                    // Nobody reads the slot while the source writes several WAL segments past the 1 MB cap.
                    for (int i = 0; i < 4; i++) {
                        sql.execute("INSERT INTO public.chat_message SELECT g, repeat(md5(g::text), 40)"
                                + " FROM generate_series(" + (i * 2000 + 1) + ", " + (i + 1) * 2000 + ") g");
                        sql.execute("SELECT pg_switch_wal()");
                    }
                    FollowExactlyOnceIT.await("the slot invalidated by a checkpoint", () -> {
                        try (Statement check = c.createStatement()) {
                            check.execute("CHECKPOINT");
                            try (var rs = check.executeQuery(
                                    "SELECT wal_status FROM pg_replication_slots WHERE slot_name = 'capped'")) {
                                return rs.next() && "lost".equals(rs.getString(1));
                            }
                        } catch (java.sql.SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });

                    try (Connection replication = FollowSlot.replicationConnection(
                            source.jdbcUrl("onyx"), source.superuser(), source.superuserPassword(), "capped")) {
                        Capture capture = new Capture(
                                replication,
                                "capped",
                                "capped",
                                new DirectorySegmentStore(work.resolve("segments")),
                                slot.consistentPoint(),
                                new Capture.Limits(1000, 1 << 20, Duration.ofSeconds(1)));
                        assertThatThrownBy(() -> capture.run(() -> false))
                                .isInstanceOfSatisfying(
                                        StepFailure.class,
                                        f -> assertThat(f.exitCode()).isEqualTo(ExitCode.REFUSED))
                                .hasMessageStartingWith("replication slot \"capped\" was invalidated: it lagged further"
                                        + " than max_slot_wal_keep_size")
                                .hasMessageContaining("start the follow again from a new base copy")
                                .hasMessageNotContaining("\n");
                    }
                    assertThat(c.isValid(1)).as("the source kept running").isTrue();
                } finally {
                    FollowExactlyOnceIT.awaitSlotInactive(c, "capped");
                    FollowSlot.drop(c, "capped", "capped");
                }
            }
        }
    }
}
