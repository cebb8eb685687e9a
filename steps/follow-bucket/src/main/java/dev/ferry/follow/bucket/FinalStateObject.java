package dev.ferry.follow.bucket;

import dev.ferry.core.workspace.JsonCodec;

/** The final state in the bucket, sealed (SHA-256, encryption) like the segments whose end it describes. */
public final class FinalStateObject {

    private FinalStateObject() {}

    public static void write(SealedObjects sealed, FinalState state) {
        sealed.put(FollowObjects.FINAL_STATE, JsonCodec.toBytes(state));
    }

    public static boolean exists(SealedObjects sealed) {
        return sealed.exists(FollowObjects.FINAL_STATE);
    }

    /** The final state, once its SHA-256 is proven (exit 4 otherwise). */
    public static FinalState read(SealedObjects sealed) {
        return JsonCodec.fromBytes(
                sealed.get(FollowObjects.FINAL_STATE, "final state"), FinalState.class, FollowObjects.FINAL_STATE);
    }
}
