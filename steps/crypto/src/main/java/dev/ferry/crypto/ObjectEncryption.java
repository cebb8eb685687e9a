package dev.ferry.crypto;

import dev.ferry.core.StepFailure;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;

/**
 * What the step's settings say about encryption, as upload and download both need it: the keyset to write with,
 * the keyset to read a given object with, and whether an unencrypted migration may be read at all.
 */
@Singleton
public class ObjectEncryption {

    /** Where the keyset comes from, as a message to the person who has to provide it. */
    static final String KEYSET_SOURCE = "FERRY_ENCRYPTION_KEYSET (the `keyset` key of the Secret the Task's"
            + " `encryption-secret` param names, default ferry-encryption)";

    @Inject
    EncryptionConfig config;

    /** The keyset new objects are encrypted with; empty means they go up unencrypted (mode auto, no keyset). */
    public Optional<Keyset> forWriting() {
        Optional<Keyset> keyset = config.keyset().filter(k -> !k.isBlank()).map(Keyset::parse);
        if (keyset.isEmpty() && config.mode() == EncryptionConfig.Mode.REQUIRED) {
            throw StepFailure.badConfiguration(
                    "FERRY_ENCRYPTION_MODE is required but no keyset is given: set " + KEYSET_SOURCE);
        }
        return keyset;
    }

    /**
     * The keyset that decrypts {@code subject}, written under {@code keyIds}: none given is exit 2 naming the setting;
     * a keyset without one of those keys is exit 4, as a wrong key is.
     */
    public Keyset forReading(String subject, List<Long> keyIds) {
        String ids = keyIds.size() == 1 ? "key id " + keyIds.get(0) : "key ids " + keyIds;
        Keyset keyset = config.keyset()
                .filter(k -> !k.isBlank())
                .map(Keyset::parse)
                .orElseThrow(() ->
                        StepFailure.badConfiguration(subject + " is encrypted (" + ids + "): set " + KEYSET_SOURCE));
        for (long keyId : keyIds) {
            if (!keyset.canDecrypt(keyId)) {
                throw StepFailure.verificationFailed(
                        cannotDecrypt(subject, keyId) + " (the keyset holds key ids " + keyset.enabledKeyIds() + ")");
            }
        }
        return keyset;
    }

    /** An unencrypted migration is read only when encryption is not required (else exit 3, before any byte moves). */
    public void allowUnencrypted(String subject) {
        if (config.mode() == EncryptionConfig.Mode.REQUIRED) {
            throw StepFailure.refused(
                    subject + " was stored unencrypted and FERRY_ENCRYPTION_MODE is required:"
                            + " upload it again with FERRY_ENCRYPTION_KEYSET set, or set FERRY_ENCRYPTION_MODE=auto to read it");
        }
    }

    /** The one line for an object that does not decrypt: which object, under which key id, and the two causes. */
    public static String cannotDecrypt(String subject, long keyId) {
        return "cannot decrypt " + subject + " with key id " + keyId + ": wrong key or corrupted object";
    }
}
