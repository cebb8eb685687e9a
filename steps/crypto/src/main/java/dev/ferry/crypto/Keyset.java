package dev.ferry.crypto;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import dev.ferry.core.StepFailure;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's Tink keyset of streaming AEAD keys: new objects are encrypted under its primary key, and any
 * enabled key of it decrypts, so a keyset with a new primary still reads migrations written under older keys.
 * Every ciphertext is bound to the object's name within its migration (the associated data), so an object copied
 * over another, or into another migration, does not decrypt. The key material never leaves this class except
 * through {@link #secretJson()}, which only the keyset tool calls; {@link #toString()} names key ids only.
 */
public final class Keyset {

    /** What the manifest records as the scheme of an object this build encrypted. */
    public static final String SCHEME = "tink-streaming-aead";

    private static final String SETTING = "FERRY_ENCRYPTION_KEYSET";

    static {
        try {
            StreamingAeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final KeysetHandle handle;
    private final StreamingAead aead;

    private Keyset(KeysetHandle handle) throws GeneralSecurityException {
        this.handle = handle;
        this.aead = handle.getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
    }

    /**
     * The keyset in {@code json} (Tink's JSON keyset format, unencrypted: the Secret is what protects it). A value
     * that is not one is exit 2 naming the setting; the message never quotes the value.
     */
    public static Keyset parse(String json) {
        KeysetHandle handle;
        try {
            handle = TinkJsonProtoKeysetFormat.parseKeyset(json.strip(), InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException | RuntimeException notAKeyset) {
            throw StepFailure.badConfiguration(SETTING + " is not a Tink keyset in JSON: create one with"
                    + " `bin/ferry-keyset new` (see the README, \"Encryption\")");
        }
        try {
            return new Keyset(handle);
        } catch (GeneralSecurityException notStreaming) {
            throw StepFailure.badConfiguration(SETTING + " holds a Tink keyset whose keys are not streaming AEAD keys:"
                    + " create one with `bin/ferry-keyset new`");
        }
    }

    /**
     * The key type Ferry generates: Tink's AES256_CTR_HMAC_SHA256_1MB streaming AEAD (keys derived per object with
     * HKDF, 1 MiB segments, each encrypted with AES-256-CTR and authenticated with HMAC-SHA256 before any of its
     * plaintext is released). Chosen over AES256_GCM_HKDF_1MB, which Tink offers with the same guarantees, by
     * measurement: on the JDK 17 the images run, AES-GCM without the AVX-512 VAES intrinsic encrypts about 50 MB/s
     * where AES-CTR and HMAC-SHA256 (AES-NI, SHA extensions) reach about 250 MB/s (README, "Encryption"). A keyset
     * of GCM keys, or of both, works the same: the keyset decides.
     */
    static final Parameters GENERATED = PredefinedStreamingAeadParameters.AES256_CTR_HMAC_SHA256_1MB;

    /** A new keyset of one key of the generated type. */
    public static Keyset generate() {
        return generate(GENERATED);
    }

    /** A new keyset of one streaming AEAD key of {@code parameters}. */
    static Keyset generate(Parameters parameters) {
        try {
            return new Keyset(KeysetHandle.generateNew(parameters));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink cannot generate a key of " + parameters, e);
        }
    }

    /** This keyset with a new key of the generated type as primary; the older keys stay enabled, for reading. */
    public Keyset rotated() {
        try {
            KeysetHandle.Builder builder = KeysetHandle.newBuilder(handle);
            builder.addEntry(KeysetHandle.generateEntryFromParameters(GENERATED)
                    .withRandomId()
                    .makePrimary());
            return new Keyset(builder.build());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink cannot add a key to the keyset", e);
        }
    }

    /** The id new objects are encrypted under, as the manifest records it (Tink's ids are unsigned 32-bit). */
    public long primaryKeyId() {
        return Integer.toUnsignedLong(handle.getPrimary().getId());
    }

    /** The ids of the keys that can decrypt. */
    public List<Long> enabledKeyIds() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < handle.size(); i++) {
            KeysetHandle.Entry entry = handle.getAt(i);
            if (entry.getStatus() == KeyStatus.ENABLED) {
                ids.add(Integer.toUnsignedLong(entry.getId()));
            }
        }
        return ids;
    }

    /** Whether one of this keyset's enabled keys has {@code keyId}. */
    public boolean canDecrypt(long keyId) {
        return enabledKeyIds().contains(keyId);
    }

    /**
     * A stream that encrypts what is written to it into {@code ciphertext}, for the object {@code objectName}
     * (its name within the migration); closing it writes the last segment and closes {@code ciphertext}.
     */
    public OutputStream encrypting(OutputStream ciphertext, String objectName) throws IOException {
        try {
            return aead.newEncryptingStream(ciphertext, associatedData(objectName));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot start encrypting " + objectName, e);
        }
    }

    /**
     * A stream of the plaintext of {@code ciphertext}, the object {@code objectName}. Reading it fails with an
     * {@link IOException} when no key of this keyset wrote the object, or a segment (or the end) was changed.
     */
    public InputStream decrypting(InputStream ciphertext, String objectName) throws IOException {
        try {
            return aead.newDecryptingStream(ciphertext, associatedData(objectName));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot start decrypting " + objectName, e);
        }
    }

    /** A small object encrypted at once (a report file). */
    public byte[] encrypt(byte[] plaintext, String objectName) {
        ByteArrayOutputStream ciphertext = new ByteArrayOutputStream(plaintext.length + 64);
        try (OutputStream encrypting = encrypting(ciphertext, objectName)) {
            encrypting.write(plaintext);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ciphertext.toByteArray();
    }

    /** A small object decrypted at once; an {@link IOException} when it does not decrypt with this keyset. */
    public byte[] decrypt(byte[] ciphertext, String objectName) throws IOException {
        try (InputStream plaintext = decrypting(new ByteArrayInputStream(ciphertext), objectName)) {
            return plaintext.readAllBytes();
        }
    }

    /** The keyset with its key material, in Tink's JSON format: only for writing it into the key Secret. */
    public String secretJson() {
        try {
            return TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink cannot serialize the keyset", e);
        }
    }

    private static byte[] associatedData(String objectName) {
        return ("ferry:" + objectName).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Keyset[primary=" + primaryKeyId() + ", enabled=" + enabledKeyIds() + "]";
    }
}
