package dev.ferry.download;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.ArtifactKind;
import dev.ferry.core.workspace.JsonCodec;
import dev.ferry.crypto.Keyset;
import dev.ferry.testing.ArtifactFixture;
import dev.ferry.testing.StepProgram;
import dev.ferry.testing.StepRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Client-side encryption end to end: the built upload and download programs as processes against a real S3 server
 * (S3Proxy), with keysets made the way an operator makes them. Proves what the bucket holds is unreadable without
 * the key, that the round trip is exact, and that a wrong key, a missing key, a flipped byte and an unencrypted
 * migration where encryption is required each end with their exit code and nothing placed.
 */
class EncryptedTransferIT extends TransferPrograms {

    private static final String SECRET_ROW = "42\tHow do I reset the on-call rota? The VPN password is tangerine-77\n";

    private Map<String, String> settings(Path workdir, Keyset keyset) {
        Map<String, String> env = settings(workdir);
        if (keyset != null) {
            env.put("FERRY_ENCRYPTION_KEYSET", keyset.secretJson());
        }
        return env;
    }

    /** Also: the key material is in neither the output nor any file left in the workspace. */
    @Override
    StepRun run(StepProgram program, Map<String, String> env) throws Exception {
        StepRun run = super.run(program, env);
        String keyset = env.get("FERRY_ENCRYPTION_KEYSET");
        if (keyset != null) {
            String keyValue = keyset.replaceAll("(?s).*\"value\"\\s*:\\s*\"([^\"]+)\".*", "$1");
            assertThat(run.output()).as("no key material in the output").doesNotContain(keyValue);
            assertThat(filesUnder(env.get("FERRY_WORKDIR")))
                    .as("no file left behind holds the key")
                    .allSatisfy(f -> assertThat(Files.readString(f, StandardCharsets.ISO_8859_1))
                            .doesNotContain(keyValue));
        }
        return run;
    }

    /** A dump of 12 MiB (three parts) whose text a reader of the bucket would recognise, a small globals.sql. */
    private Manifest uploaded(String id, Keyset keyset) throws Exception {
        Path workdir = source.resolve(id);
        Manifest manifest = new ArtifactFixture(workdir, id.hashCode())
                .textFile("onyx.dump", ArtifactKind.DUMP, SECRET_ROW, (int) (12 * MIB / SECRET_ROW.length()))
                .textFile("globals.sql", ArtifactKind.GLOBALS, "ALTER ROLE onyx PASSWORD 'SCRAM-SHA-256$4096';\n", 50)
                .writeManifest(id, Instant.parse("2026-11-25T01:00:00Z"));
        StepRun run = run(upload, settings(workdir, keyset));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return manifest;
    }

    private byte[] stored(String id, String path) {
        return server.client()
                .getObjectAsBytes(b -> b.bucket(bucket).key(PREFIX + "/" + id + "/" + path))
                .asByteArray();
    }

    @Test
    void the_bucket_holds_no_plaintext_and_the_round_trip_is_exact() throws Exception {
        Keyset keyset = Keyset.generate();
        Manifest manifest = uploaded("m-sealed", keyset);

        for (Manifest.Artifact artifact : manifest.artifacts()) {
            String text = new String(stored("m-sealed", artifact.path()), StandardCharsets.ISO_8859_1);
            assertThat(text).as(artifact.path()).doesNotContain("tangerine").doesNotContain("SCRAM-SHA-256");
        }
        HeadObjectResponse head =
                server.client().headObject(b -> b.bucket(bucket).key(PREFIX + "/m-sealed/onyx.dump"));
        assertThat(head.metadata())
                .containsEntry("ferry-encryption", "tink-streaming-aead")
                .containsEntry("ferry-key-id", Long.toString(keyset.primaryKeyId()));
        Manifest inBucket =
                JsonCodec.fromBytes(stored("m-sealed", "manifest.json"), Manifest.class, "the stored manifest");
        for (Manifest.Artifact artifact : inBucket.artifacts()) {
            byte[] object = stored("m-sealed", artifact.path());
            assertThat(artifact.stored().encryption()).isEqualTo("tink-streaming-aead");
            assertThat(artifact.stored().keyId()).isEqualTo(keyset.primaryKeyId());
            assertThat(artifact.stored().size()).isEqualTo(object.length);
            assertThat(artifact.stored().sha256()).isEqualTo(dev.ferry.core.Sha256.of(object));
        }

        StepRun run = run(download, settings(target, keyset));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.output()).contains("encrypted=tink-streaming-aead key_id=" + keyset.primaryKeyId());
        for (Manifest.Artifact artifact : manifest.artifacts()) {
            assertThat(Files.readAllBytes(target.resolve(artifact.path())))
                    .isEqualTo(Files.readAllBytes(source.resolve("m-sealed").resolve(artifact.path())));
        }
        assertThat(target.resolve("manifest.json")).exists();
    }

    @Test
    void a_rerun_of_upload_sends_nothing_again_and_a_rotated_keyset_still_reads_the_old_migration() throws Exception {
        Keyset old = Keyset.generate();
        uploaded("m-rotate", old);

        StepRun again = run(upload, settings(source.resolve("m-rotate"), old));
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(Files.readString(source.resolve("m-rotate/results/uploaded-bytes")))
                .isEqualTo("0");

        Keyset rotated = Keyset.parse(old.rotated().secretJson());
        StepRun run = run(download, settings(target, rotated));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.readString(target.resolve("onyx.dump"))).startsWith(SECRET_ROW);
    }

    @Test
    void a_wrong_key_is_exit_4_naming_the_key_id_and_places_nothing() throws Exception {
        Keyset keyset = Keyset.generate();
        uploaded("m-wrong", keyset);

        StepRun run = run(download, settings(target, Keyset.generate()));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.output())
                .contains("cannot decrypt migration \"m-wrong\" with key id " + keyset.primaryKeyId()
                        + ": wrong key or corrupted object");
        assertThat(filesUnder(target.toString())).as("nothing placed").noneMatch(this::isPlacedData);
    }

    @Test
    void a_keyset_holding_the_same_key_id_with_other_material_fails_on_decryption_with_exit_4() throws Exception {
        Keyset keyset = Keyset.generate();
        uploaded("m-impostor", keyset);
        // Same id, other key material: only decryption can tell.
        Keyset impostor = Keyset.parse(Keyset.generate()
                .secretJson()
                .replaceAll("\"(primaryKeyId|keyId)\"\\s*:\\s*\\d+", "\"$1\": " + (int) keyset.primaryKeyId()));

        StepRun run = run(download, settings(target, impostor));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.output())
                .contains("cannot decrypt onyx.dump (s3://" + bucket + "/" + PREFIX + "/m-impostor/onyx.dump)"
                        + " with key id " + keyset.primaryKeyId() + ": wrong key or corrupted object");
        assertThat(filesUnder(target.toString())).as("nothing placed").noneMatch(this::isPlacedData);
    }

    @Test
    void a_flipped_byte_in_the_ciphertext_is_exit_4_and_no_partial_plaintext_is_left() throws Exception {
        Keyset keyset = Keyset.generate();
        uploaded("m-flipped", keyset);
        String key = PREFIX + "/m-flipped/onyx.dump";
        byte[] object = stored("m-flipped", "onyx.dump");
        object[(int) (9 * MIB)] ^= 0x01;
        HeadObjectResponse head =
                server.client().headObject(b -> b.bucket(bucket).key(key));
        server.client()
                .putObject(b -> b.bucket(bucket).key(key).metadata(head.metadata()), RequestBody.fromBytes(object));

        StepRun run = run(download, settings(target, keyset));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.output())
                .contains("cannot decrypt onyx.dump (s3://" + bucket + "/" + key + ") with key id "
                        + keyset.primaryKeyId() + ": wrong key or corrupted object");
        assertThat(filesUnder(target.toString()))
                .as("neither the artifact nor a partial of its plaintext")
                .noneMatch(this::isPlacedData);
    }

    @Test
    void a_flipped_byte_whose_stored_digest_was_forged_too_is_caught_by_the_cipher() throws Exception {
        Keyset keyset = Keyset.generate();
        uploaded("m-forged", keyset);
        byte[] object = stored("m-forged", "onyx.dump");
        object[(int) (6 * MIB)] ^= 0x01;
        String key = PREFIX + "/m-forged/onyx.dump";
        server.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(object));
        // Someone who can write the bucket rewrites the manifest to match the object: only the key can tell.
        String manifestKey = PREFIX + "/m-forged/manifest.json";
        Manifest manifest = JsonCodec.fromBytes(stored("m-forged", "manifest.json"), Manifest.class, "manifest");
        Manifest forged = manifest.withArtifacts(manifest.artifacts().stream()
                .map(a -> a.path().equals("onyx.dump")
                        ? a.storedAs(new Manifest.Stored(
                                a.stored().encryption(),
                                a.stored().keyId(),
                                object.length,
                                dev.ferry.core.Sha256.of(object)))
                        : a)
                .toList());
        server.client()
                .putObject(b -> b.bucket(bucket).key(manifestKey), RequestBody.fromBytes(JsonCodec.toBytes(forged)));

        StepRun run = run(download, settings(target, keyset));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.output())
                .contains("cannot decrypt onyx.dump (s3://" + bucket + "/" + key + ") with key id "
                        + keyset.primaryKeyId() + ": wrong key or corrupted object");
        assertThat(filesUnder(target.toString())).noneMatch(this::isPlacedData);
    }

    @Test
    void an_encrypted_migration_without_a_key_is_exit_2_naming_the_setting() throws Exception {
        uploaded("m-nokey", Keyset.generate());

        StepRun run = run(download, settings(target, null));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.output()).contains("migration \"m-nokey\" is encrypted").contains("FERRY_ENCRYPTION_KEYSET");
        assertThat(filesUnder(target.toString())).noneMatch(this::isPlacedData);
    }

    @Test
    void an_unencrypted_migration_is_exit_3_where_encryption_is_required_and_upload_refuses_without_a_key()
            throws Exception {
        uploaded("m-plain", null);
        Map<String, String> env = settings(target, Keyset.generate());
        env.put("FERRY_ENCRYPTION_MODE", "required");

        StepRun run = run(download, env);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.output()).contains("was stored unencrypted and FERRY_ENCRYPTION_MODE is required");
        assertThat(filesUnder(target.toString())).noneMatch(this::isPlacedData);

        Map<String, String> noKey = settings(source.resolve("m-plain"), null);
        noKey.put("FERRY_ENCRYPTION_MODE", "required");
        StepRun refused = run(upload, noKey);
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.output()).contains("FERRY_ENCRYPTION_KEYSET");
    }

    @Test
    void turning_encryption_on_replaces_the_plain_objects_of_an_earlier_upload() throws Exception {
        uploaded("m-switch", null);
        Keyset keyset = Keyset.generate();

        StepRun run = run(upload, settings(source.resolve("m-switch"), keyset));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(new String(stored("m-switch", "onyx.dump"), StandardCharsets.ISO_8859_1))
                .doesNotContain("tangerine");
    }

    private boolean isPlacedData(Path file) {
        String name = file.getFileName().toString();
        return name.equals("onyx.dump")
                || name.equals("globals.sql")
                || name.endsWith(".partial")
                || name.equals("manifest.json");
    }

    private static List<Path> filesUnder(String folder) throws IOException {
        Path root = Path.of(folder);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
