package dev.ferry.pg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The touched rows' digests split over sessions sharing one snapshot: equal to one session's, and of the database at
 * the snapshot's moment, not of what is committed while they read.
 */
class TouchedRowDigestsIT {

    private static PostgresServer server;

    @BeforeAll
    static void start() throws Exception {
        server = PostgresServer.start(PgMajor.SOURCE);
        server.createDatabase("touched");
        try (Connection c = server.connect("touched");
                Statement sql = c.createStatement()) {
            sql.execute("CREATE TABLE public.chat_message (id int UNIQUE, message text);"
                    + " INSERT INTO public.chat_message SELECT i, 'message ' || i FROM generate_series(1, 3000) i;"
                    + " CREATE TABLE public.kv (a text, b int, v text, PRIMARY KEY (a, b));"
                    + " INSERT INTO public.kv SELECT 'k' || (i % 7), i, 'v' || i FROM generate_series(1, 500) i");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void sessionsSharingTheSnapshotDigestWhatOneSessionDigestsAsOfItsMoment() throws Exception {
        List<List<String>> messages = IntStream.rangeClosed(1, 2500)
                .filter(i -> i % 2 == 1)
                .mapToObj(i -> List.of(String.valueOf(i)))
                .toList();
        List<List<String>> pairs = IntStream.rangeClosed(1, 40)
                .mapToObj(i -> List.of("k" + (i % 7), String.valueOf(i)))
                .toList();
        List<TouchedRowDigests.Table> tables = List.of(
                new TouchedRowDigests.Table("public", "chat_message", List.of("id"), messages),
                new TouchedRowDigests.Table("public", "kv", List.of("a", "b"), pairs));
        Supplier<Connection> open = () -> connect();

        try (Connection main = connect()) {
            Map<String, Map<List<String>, String>> shared = KeyedRowDigests.inSnapshot(main, session -> {
                Map<List<String>, String> alone =
                        KeyedRowDigests.byKey(session, "public", "chat_message", List.of("id"), messages);
                // Committed after the snapshot: sessions that share it must not see it.
                try (Connection other = connect();
                        Statement sql = other.createStatement()) {
                    sql.execute("UPDATE public.chat_message SET message = 'changed' WHERE id = 1;"
                            + " DELETE FROM public.kv WHERE b = 3");
                }
                try (SharedSnapshot digesting = SharedSnapshot.join(session, open, 2)) {
                    Map<String, Map<List<String>, String>> digests =
                            SqlWork.await(TouchedRowDigests.start(digesting.sessions(), tables));
                    assertThat(digests.get("public.chat_message")).isEqualTo(alone);
                    return digests;
                }
            });

            assertThat(shared.get("public.chat_message")).hasSize(messages.size());
            assertThat(shared.get("public.kv")).hasSize(pairs.size()).containsKey(List.of("k3", "3"));
            Map<List<String>, String> now = KeyedRowDigests.inSnapshot(
                    main,
                    session -> KeyedRowDigests.byKey(
                            session, "public", "chat_message", List.of("id"), List.of(List.of("1"))));
            assertThat(now.get(List.of("1")))
                    .isNotEqualTo(shared.get("public.chat_message").get(List.of("1")));
        }
    }

    private static Connection connect() {
        try {
            return server.connect("touched");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
