package dev.ferry.follow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PublicationRecordTest {

    @Test
    void theChangedReplicaIdentitiesComeBackAsWritten() {
        List<ReplicaIdentities.Changed> changed = List.of(
                new ReplicaIdentities.Changed("public.chat_message", "chat_message_id_key", "DEFAULT"),
                new ReplicaIdentities.Changed("\"tenant_a\".\"it's\"", "\"it's_key\"", "NOTHING"));

        assertThat(PublicationRecord.decode(PublicationRecord.encode(changed))).isEqualTo(changed);
    }

    @Test
    void aCommentFerryDidNotWritePutsNothingBack() {
        assertThat(PublicationRecord.decode(null)).isEmpty();
        assertThat(PublicationRecord.decode("published for the analytics replica"))
                .isEmpty();
        assertThat(PublicationRecord.decode("{\"format\":\"something-else\",\"replicaIdentities\":"
                        + "[{\"table\":\"t\",\"index\":\"i\",\"before\":\"FULL\"}]}"))
                .isEmpty();
    }
}
