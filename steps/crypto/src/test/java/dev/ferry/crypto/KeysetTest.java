package dev.ferry.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeysetTest {

    private static final String OBJECT = "m-1/onyx.dump";

    private static byte[] plaintext(int size) {
        byte[] bytes = new byte[size];
        new Random(7).nextBytes(bytes);
        return bytes;
    }

    @Test
    void round_trip_of_several_segments_and_the_ciphertext_holds_no_plaintext() throws IOException {
        Keyset keyset = Keyset.generate();
        byte[] text = "chat_message row: the quarterly numbers are secret\n"
                .repeat(60_000)
                .getBytes(StandardCharsets.UTF_8);

        byte[] ciphertext = keyset.encrypt(text, OBJECT);

        assertThat(text.length).as("more than two 1 MiB segments").isGreaterThan(2 << 20);
        assertThat(new String(ciphertext, StandardCharsets.ISO_8859_1)).doesNotContain("quarterly");
        assertThat(keyset.decrypt(ciphertext, OBJECT)).isEqualTo(text);
    }

    @Test
    void a_keyset_of_aes_gcm_keys_works_the_same_and_a_rotation_adds_the_generated_type() throws IOException {
        Keyset gcm = Keyset.parse(Keyset.generate(
                        com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB)
                .secretJson());
        byte[] text = plaintext(3 << 20);
        byte[] written = gcm.encrypt(text, OBJECT);

        Keyset rotated = gcm.rotated();

        assertThat(gcm.secretJson()).contains("AesGcmHkdfStreamingKey");
        assertThat(rotated.secretJson()).contains("AesGcmHkdfStreamingKey", "AesCtrHmacStreamingKey");
        assertThat(rotated.decrypt(written, OBJECT)).isEqualTo(text);
        assertThat(rotated.decrypt(rotated.encrypt(text, OBJECT), OBJECT)).isEqualTo(text);
    }

    @Test
    void a_rotated_keyset_writes_under_its_new_primary_and_still_reads_the_old_key() throws IOException {
        Keyset old = Keyset.generate();
        byte[] written = old.encrypt(plaintext(5000), OBJECT);

        Keyset rotated = Keyset.parse(old.rotated().secretJson());

        assertThat(rotated.primaryKeyId()).isNotEqualTo(old.primaryKeyId());
        assertThat(rotated.enabledKeyIds()).contains(old.primaryKeyId(), rotated.primaryKeyId());
        assertThat(rotated.decrypt(written, OBJECT)).isEqualTo(plaintext(5000));
        assertThatThrownBy(() -> old.decrypt(rotated.encrypt(plaintext(10), OBJECT), OBJECT))
                .as("the old keyset lacks the new key")
                .isInstanceOf(IOException.class);
    }

    @Test
    void another_key_a_flipped_byte_and_another_object_name_do_not_decrypt() {
        Keyset keyset = Keyset.generate();
        byte[] ciphertext = keyset.encrypt(plaintext(3 << 20), OBJECT);

        assertThatThrownBy(() -> Keyset.generate().decrypt(ciphertext, OBJECT)).isInstanceOf(IOException.class);
        byte[] flipped = ciphertext.clone();
        flipped[(2 << 20) + 5] ^= 1;
        assertThatThrownBy(() -> keyset.decrypt(flipped, OBJECT)).isInstanceOf(IOException.class);
        byte[] cut = java.util.Arrays.copyOf(ciphertext, ciphertext.length - (1 << 20));
        assertThatThrownBy(() -> keyset.decrypt(cut, OBJECT)).as("truncated").isInstanceOf(IOException.class);
        assertThatThrownBy(() -> keyset.decrypt(ciphertext, "m-1/globals.sql"))
                .as("bound to its name")
                .isInstanceOf(IOException.class);
    }

    @Test
    void a_value_that_is_no_keyset_is_exit_2_naming_the_setting_and_never_quoting_it() {
        assertThatThrownBy(() -> Keyset.parse("{\"primaryKeyId\": 1, \"key\": \"hunter2\"}"))
                .isInstanceOfSatisfying(StepFailure.class, failure -> {
                    assertThat(failure.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION);
                    assertThat(failure.getMessage())
                            .contains("FERRY_ENCRYPTION_KEYSET")
                            .doesNotContain("hunter2");
                });
    }

    @Test
    void to_string_names_key_ids_not_key_material() {
        Keyset keyset = Keyset.generate();
        assertThat(keyset.toString())
                .contains(Long.toString(keyset.primaryKeyId()))
                .doesNotContain("value");
        assertThat(keyset.secretJson()).contains("AesCtrHmacStreamingKey");
    }
}
