package dev.ferry.follow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.postgresql.replication.LogSequenceNumber;

/** The keys a follow touched, and the rows each table gained: what a table's rows at the freeze follow from. */
class TouchedKeysTest {

    static Segment segment(long end, Change... changes) {
        return new Segment(
                "ferry_follow",
                LogSequenceNumber.valueOf(end - 0x100),
                LogSequenceNumber.valueOf(end),
                Instant.parse("2026-12-07T06:00:00Z"),
                Optional.empty(),
                Map.of(16400, SegmentTest.MESSAGE, 16401, SegmentTest.USER),
                List.of(new CommittedTransaction(
                        900L,
                        LogSequenceNumber.valueOf(end - 8),
                        LogSequenceNumber.valueOf(end),
                        Instant.parse("2026-12-07T06:00:00Z"),
                        List.of(changes))));
    }

    static Map<String, TouchedKeys.Table> byName(TouchedKeys keys) {
        return keys.tables().stream().collect(Collectors.toMap(TouchedKeys.Table::qualifiedName, Function.identity()));
    }

    @Test
    void insertsAddRowsDeletesRemoveThemAndUpdatesLeaveTheCount() {
        TouchedKeys keys = new TouchedKeys();
        keys.add(segment(
                0x2000,
                new Change.Insert(16400, List.of("1", "a", "1")),
                new Change.Insert(16400, List.of("2", "b", "1")),
                new Change.Update(16400, null, List.of("1", "c", "2"), List.of()),
                new Change.Update(16401, List.of("u1"), List.of("u2", "x@example.com"), List.of())));
        keys.add(segment(
                0x3000,
                new Change.Delete(16400, List.of("7")),
                new Change.Delete(16400, List.of("2")),
                new Change.Delete(16400, List.of("8"))));

        TouchedKeys.Table messages = byName(keys).get("public.chat_message");
        assertThat(messages.keys()).containsExactly(List.of("1"), List.of("2"), List.of("7"), List.of("8"));
        assertThat(messages.rowsGiven(100))
                .as("100 at the snapshot, 2 inserted, 3 deleted")
                .isEqualTo(99);
        TouchedKeys.Table users = byName(keys).get("public.user");
        assertThat(users.keys()).as("a key change touches both keys").containsExactly(List.of("u2"), List.of("u1"));
        assertThat(users.rowsGiven(5))
                .as("a key change is neither an insert nor a delete")
                .isEqualTo(5);
    }

    @Test
    void aTruncateLeavesNoRowsAndTheCountGoesOnFromThere() {
        TouchedKeys keys = new TouchedKeys();
        keys.add(segment(
                0x2000,
                new Change.Insert(16400, List.of("1", "a", "1")),
                new Change.Insert(16401, List.of("u1", "x@example.com"))));
        keys.add(segment(
                0x3000,
                new Change.Truncate(List.of(16400), false, false),
                new Change.Insert(16400, List.of("5", "b", "1")),
                new Change.Insert(16400, List.of("6", "b", "1")),
                new Change.Delete(16400, List.of("5"))));

        TouchedKeys.Table messages = byName(keys).get("public.chat_message");
        assertThat(messages.truncated()).isTrue();
        assertThat(messages.rowsGiven(1_000_000))
                .as("the snapshot's rows are gone; 2 inserted, 1 deleted")
                .isEqualTo(1);
        TouchedKeys.Table users = byName(keys).get("public.user");
        assertThat(users.truncated()).isFalse();
        assertThat(users.rowsGiven(5)).isEqualTo(6);
    }
}
