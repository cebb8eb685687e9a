package dev.ferry.follow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.postgresql.replication.LogSequenceNumber;

/** The segment format round-trips every kind of change, names sort as LSNs, and apply's order rule. */
class SegmentTest {

    static final RelationDef MESSAGE = new RelationDef(
            16400, "public", "chat_message", List.of("id", "message", "token_count"), List.of(23, 25, 23), List.of(0));
    static final RelationDef USER =
            new RelationDef(16401, "public", "user", List.of("id", "email"), List.of(2950, 1043), List.of(0));

    static Segment segment(long previous, long end) {
        CommittedTransaction transaction = new CommittedTransaction(
                742L,
                LogSequenceNumber.valueOf(end - 8),
                LogSequenceNumber.valueOf(end),
                Instant.parse("2026-12-06T21:00:00.123456Z"),
                List.of(
                        new Change.Insert(16400, Arrays.asList("1", "hello \"you\"\n", null)),
                        new Change.Update(16400, null, Arrays.asList("1", null, "7"), List.of(1)),
                        new Change.Update(16401, List.of("a"), List.of("b", "x@example.com"), List.of()),
                        new Change.Delete(16400, List.of("1")),
                        new Change.Truncate(List.of(16400, 16401), true, false)));
        return new Segment(
                "ferry_follow",
                LogSequenceNumber.valueOf(previous),
                LogSequenceNumber.valueOf(end),
                Instant.parse("2026-12-06T21:00:01Z"),
                Optional.of("drain"),
                Map.of(16400, MESSAGE, 16401, USER),
                List.of(transaction));
    }

    @Test
    void aSegmentReadsBackAsItWasWritten() {
        Segment written = segment(0x1000, 0x2_0000_2000L);
        Segment read = SegmentCodec.decode(SegmentCodec.encode(written), written.name());
        assertThat(read).isEqualTo(written);
        assertThat(read.changes()).isEqualTo(5);
    }

    @Test
    void namesSortAsTheirEndLsns() {
        List<String> names = List.of(
                Segment.nameFor(LogSequenceNumber.valueOf(0x10_0000_0000L)),
                Segment.nameFor(LogSequenceNumber.valueOf(0x9_FFFF_FFFFL)),
                Segment.nameFor(LogSequenceNumber.valueOf(0x16B3748L)));
        assertThat(names.stream().sorted().map(SegmentNames::end).map(LogSequenceNumber::asLong))
                .containsExactly(0x16B3748L, 0x9_FFFF_FFFFL, 0x10_0000_0000L);
        assertThat(names.get(2)).isEqualTo("00000000016B3748.segment.jsonl.gz");
    }

    @Test
    void applyTakesTheNextSegmentSkipsAReplayAndRefusesAGap() {
        LogSequenceNumber progress = LogSequenceNumber.valueOf(0x2000);
        assertThat(SegmentApplier.decide(progress, segment(0x2000, 0x3000))).isEqualTo(SegmentApplier.Outcome.APPLIED);
        assertThat(SegmentApplier.decide(progress, segment(0x1000, 0x2000))).isEqualTo(SegmentApplier.Outcome.SKIPPED);
        assertThat(SegmentApplier.decide(progress, segment(0x0800, 0x1000))).isEqualTo(SegmentApplier.Outcome.SKIPPED);
        assertThatThrownBy(() -> SegmentApplier.decide(progress, segment(0x2800, 0x3000)))
                .isInstanceOfSatisfying(
                        StepFailure.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCode.REFUSED))
                .hasMessageContaining("continues from 0/2800 but the target has applied up to 0/2000")
                .hasMessageContaining("a segment in between is missing");
    }

    @Test
    void statementsAreIdempotentByKeyAndLeaveUnchangedToastAlone() {
        assertThat(StatementText.of(MESSAGE, new Change.Insert(16400, List.of())))
                .isEqualTo(
                        "INSERT INTO \"public\".\"chat_message\" (\"id\", \"message\", \"token_count\") VALUES (?, ?, ?)"
                                + " ON CONFLICT (\"id\") DO UPDATE SET \"message\" = EXCLUDED.\"message\","
                                + " \"token_count\" = EXCLUDED.\"token_count\"");
        assertThat(StatementText.of(MESSAGE, new Change.Update(16400, null, Arrays.asList("1", null, "7"), List.of(1))))
                .isEqualTo("UPDATE \"public\".\"chat_message\" SET \"id\" = ?, \"token_count\" = ? WHERE \"id\" = ?");
        assertThat(StatementText.of(USER, new Change.Delete(16401, List.of("a"))))
                .isEqualTo("DELETE FROM \"public\".\"user\" WHERE \"id\" = ?");
    }
}
