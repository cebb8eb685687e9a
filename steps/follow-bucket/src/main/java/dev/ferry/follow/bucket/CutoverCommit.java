package dev.ferry.follow.bucket;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * The old side's word that the cutover at {@code marker} holds, in {@code follow/cutover-committed.json}: the drain
 * writes it as its last act, once capture stored everything up to the marker and the final state, and while the old
 * writers are still frozen. It is what lets the new side go on to scale up. Without it, a drain that failed or was
 * cancelled after its marker is followed by the old cluster's unfreeze, and a new cluster scaled up from the marker
 * would run beside an old one taking writes no follow carries any more.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record CutoverCommit(String format, String migrationId, String marker, String storedUpTo, Instant at) {

    public static final String FORMAT = "ferry-follow-cutover-committed/1";
}
