package dev.ferry.follow;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.ferry.core.manifest.Inventory.SequenceValue;
import dev.ferry.core.workspace.JsonCodec;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The content of the drain marker, the transactional logical message ({@link Capture#MARKER_PREFIX}) written into the
 * frozen source's WAL at cutover: a label that names this drain, and every sequence's value, which logical decoding
 * does not carry (apply sets them on the target in the marker segment's transaction). A marker written by hand is a
 * bare label without sequences.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record DrainMarker(String format, String label, List<SequenceValue> sequences) {

    public static final String FORMAT = "ferry-follow-drain/1";

    public DrainMarker {
        sequences = sequences == null ? List.of() : List.copyOf(sequences);
    }

    public DrainMarker(String label, List<SequenceValue> sequences) {
        this(FORMAT, label, sequences);
    }

    /** The message's content: this marker as JSON. */
    public String content() {
        return new String(JsonCodec.toBytes(this), StandardCharsets.UTF_8);
    }

    /** The marker a message's content holds: JSON from the cutover step, or a bare label written by hand. */
    public static DrainMarker parse(String content) {
        if (content.startsWith("{")) {
            return JsonCodec.fromBytes(content.getBytes(StandardCharsets.UTF_8), DrainMarker.class, "drain marker");
        }
        return new DrainMarker(content, List.of());
    }
}
