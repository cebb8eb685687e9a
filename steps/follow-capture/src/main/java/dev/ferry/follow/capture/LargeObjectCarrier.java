package dev.ferry.follow.capture;

import dev.ferry.follow.bucket.FinalState.LargeObjectState;
import dev.ferry.follow.bucket.FollowObjects;
import dev.ferry.follow.bucket.SealedObjects;
import dev.ferry.follow.bucket.TargetLargeObjects;
import dev.ferry.pg.LargeObjectContents;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Carries the large-object delta at the drain: logical decoding carries no large object, so the frozen source's are
 * compared one by one (the md5 of their bytes) with what apply reported of the target's, and each one the target
 * lacks or holds otherwise goes to the bucket sealed as {@code follow/large-objects/<oid>}; the ones only the target
 * holds are listed for removal. Apply imports both after the marker, before its proof.
 */
final class LargeObjectCarrier {

    private static final Logger LOG = Logger.getLogger(LargeObjectCarrier.class);

    /** Every large object of the source, the oids carried and to remove, and how long reading and carrying took. */
    record Delta(List<LargeObjectState> source, List<Long> carried, List<Long> removed, long bytes, double seconds) {}

    private LargeObjectCarrier() {}

    static Delta carry(Connection source, SealedObjects sealed) throws SQLException {
        long started = System.nanoTime();
        List<LargeObjectState> onSource = LargeObjectContents.read(source).entrySet().stream()
                .map(e -> new LargeObjectState(
                        e.getKey(), e.getValue().owner(), e.getValue().md5()))
                .toList();
        Map<Long, LargeObjectState> onTarget = TargetLargeObjects.read(sealed)
                .map(t -> t.objects().stream()
                        .collect(Collectors.toMap(LargeObjectState::oid, Function.identity(), (a, b) -> a)))
                .orElseGet(() -> {
                    LOG.warnf("phase=large-objects warning=\"apply has not reported the target's large objects"
                            + " (follow/target-large-objects.json): every one is carried\"");
                    return Map.of();
                });
        List<Long> carried = new ArrayList<>();
        long bytes = 0;
        for (LargeObjectState object : onSource) {
            LargeObjectState there = onTarget.get(object.oid());
            if (there != null && there.md5().equals(object.md5())) {
                continue; // owners are the base copy's to carry: a restore without owners has other ones
            }
            byte[] content = LargeObjectContents.bytes(source, object.oid());
            sealed.put(FollowObjects.LARGE_OBJECTS + object.oid(), content);
            carried.add(object.oid());
            bytes += content.length;
        }
        Set<Long> kept = onSource.stream().map(LargeObjectState::oid).collect(Collectors.toSet());
        List<Long> removed = onTarget.keySet().stream()
                .filter(oid -> !kept.contains(oid))
                .sorted()
                .toList();
        return new Delta(onSource, carried, removed, bytes, (System.nanoTime() - started) / 1e9);
    }
}
