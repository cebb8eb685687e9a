package dev.ferry.follow.bucket;

import dev.ferry.core.workspace.JsonCodec;
import dev.ferry.s3.S3Transfer;
import java.util.Map;
import java.util.Optional;

/**
 * The small JSON objects each side writes about itself (heartbeat, progress). They hold LSNs, counts and times, never
 * row data, so they stay readable without the keyset: whoever watches the follow needs no key.
 */
public final class FollowStatus {

    private FollowStatus() {}

    public static void write(S3Transfer store, String key, Object status) {
        store.putBytes(key, JsonCodec.toBytes(status), Map.of());
    }

    /** The object under {@code key} as {@code type}, or empty when there is none yet. */
    public static <T> Optional<T> read(S3Transfer store, String key, Class<T> type) {
        return store.getBytes(key)
                .map(bytes -> JsonCodec.fromBytes(bytes, type, store.layout().uri(key)));
    }
}
