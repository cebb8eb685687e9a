package dev.ferry.follow.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.follow.Segment;
import dev.ferry.follow.SegmentNames;
import dev.ferry.s3.ObjectLayout;
import org.junit.jupiter.api.Test;
import org.postgresql.replication.LogSequenceNumber;

class FollowObjectsTest {

    final FollowObjects objects = new FollowObjects(new ObjectLayout("bucket", "/ferry/"), "onyx-follow-1");

    @Test
    void segments_live_beside_the_migration_named_by_their_end_lsn() {
        String name = Segment.nameFor(LogSequenceNumber.valueOf("0/1BEA988"));

        assertThat(objects.segmentKey(name))
                .isEqualTo("ferry/onyx-follow-1/follow/segments/0000000001BEA988.segment.jsonl.gz");
        assertThat(objects.segmentKey(name)).startsWith(objects.segmentsPrefix());
        assertThat(SegmentNames.end(name)).isEqualTo(LogSequenceNumber.valueOf("0/1BEA988"));
        assertThat(objects.heartbeatKey()).isEqualTo("ferry/onyx-follow-1/follow/capture-heartbeat.json");
        assertThat(objects.applyProgressKey()).isEqualTo("ferry/onyx-follow-1/follow/apply-progress.json");
    }

    @Test
    void a_segment_is_bound_to_its_own_name_for_its_cipher() {
        assertThat(objects.cipherName("0000000001BEA988.segment.jsonl.gz"))
                .isEqualTo("onyx-follow-1/follow/segments/0000000001BEA988.segment.jsonl.gz");
    }

    @Test
    void an_invalid_migration_id_makes_no_key() {
        assertThatThrownBy(() -> new FollowObjects(new ObjectLayout("bucket", "ferry"), "../other"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
