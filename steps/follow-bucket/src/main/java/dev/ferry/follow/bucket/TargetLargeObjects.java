package dev.ferry.follow.bucket;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.ferry.core.workspace.JsonCodec;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The target's large objects as apply found them before the marker ({@code follow/target-large-objects.json}, sealed:
 * it holds digests of file contents): the drain on the old side compares the frozen source's with them and carries
 * only the objects that differ. Logical decoding carries no large object, and the old side cannot reach the target.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record TargetLargeObjects(String format, Instant at, List<FinalState.LargeObjectState> objects) {

    public static final String FORMAT = "ferry-follow-target-large-objects/1";

    public TargetLargeObjects {
        objects = objects == null ? List.of() : List.copyOf(objects);
    }

    public static void write(SealedObjects sealed, List<FinalState.LargeObjectState> objects) {
        sealed.put(
                FollowObjects.TARGET_LARGE_OBJECTS,
                JsonCodec.toBytes(new TargetLargeObjects(FORMAT, Instant.now(), objects)));
    }

    /** What apply reported, or empty when it has not (yet). */
    public static Optional<TargetLargeObjects> read(SealedObjects sealed) {
        if (!sealed.exists(FollowObjects.TARGET_LARGE_OBJECTS)) {
            return Optional.empty();
        }
        return Optional.of(JsonCodec.fromBytes(
                sealed.get(FollowObjects.TARGET_LARGE_OBJECTS, "target's large objects"),
                TargetLargeObjects.class,
                FollowObjects.TARGET_LARGE_OBJECTS));
    }
}
