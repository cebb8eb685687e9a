package dev.ferry.crypto;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Client-side encryption of what Ferry puts in the bucket (env vars {@code FERRY_ENCRYPTION_*}). */
@ConfigMapping(prefix = "ferry.encryption")
public interface EncryptionConfig {

    /**
     * FERRY_ENCRYPTION_KEYSET: the operator's Tink keyset in JSON (the {@code keyset} key of the key Secret; create
     * it with {@code bin/ferry-keyset new}). Set: every object upload writes is encrypted under the keyset's primary
     * key, and download decrypts with whichever of its keys a migration was written under. Never logged.
     */
    Optional<String> keyset();

    /**
     * FERRY_ENCRYPTION_MODE: {@code auto} encrypts when FERRY_ENCRYPTION_KEYSET is set and reads migrations as they
     * were written; {@code required} refuses to upload without a keyset (exit 2) and to download a migration that
     * was stored unencrypted (exit 3).
     */
    @WithDefault("auto")
    Mode mode();

    /** Whether encryption is taken when it can be, or demanded. */
    enum Mode {
        AUTO,
        REQUIRED
    }
}
