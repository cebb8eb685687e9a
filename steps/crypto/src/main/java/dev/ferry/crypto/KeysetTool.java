package dev.ferry.crypto;

import dev.ferry.core.StepFailure;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Creates the key Secret's content ({@code new}) or adds a new primary key to it ({@code rotate}, the keyset read
 * from standard input): the keyset goes to standard output only, meant for a pipe into {@code oc create secret}.
 * {@code decrypt} turns one object fetched from the bucket back into its plaintext.
 * Run it on a workstation (bin/ferry-keyset), never as a pod, whose standard output is its log.
 */
public final class KeysetTool {

    private KeysetTool() {}

    /**
     * The plaintext of one object read from standard input, {@code objectName} being its name below the prefix
     * ({@code <migration-id>/<path>}, what the cipher binds it to), with the keyset from FERRY_ENCRYPTION_KEYSET: the
     * way to read a report, or to restore by hand, from a bucket Ferry encrypted. Nothing is written unless the whole
     * object authenticates, so a wrong key or a changed byte leaves no partial plaintext behind either.
     */
    private static void decrypt(String objectName) throws IOException {
        String keysetJson = System.getenv("FERRY_ENCRYPTION_KEYSET");
        if (keysetJson == null || keysetJson.isBlank()) {
            fail(2, "set FERRY_ENCRYPTION_KEYSET to the keyset (the `keyset` key of the key Secret)");
        }
        byte[] plaintext = null;
        try {
            plaintext = Keyset.parse(keysetJson).decrypt(System.in.readAllBytes(), objectName);
        } catch (StepFailure bad) {
            fail(bad.exitCode().code(), bad.getMessage());
        } catch (IOException doesNotDecrypt) {
            fail(4, "cannot decrypt " + objectName + ": wrong key, wrong object name or corrupted object");
        }
        System.out.write(plaintext);
        System.out.flush();
    }

    private static void fail(int exitCode, String message) {
        System.err.println(message);
        System.exit(exitCode);
    }

    public static void main(String[] args) throws IOException {
        PrintStream out = System.out;
        String command = args.length >= 1 ? args[0] : "";
        if (command.equals("decrypt") && args.length == 2) {
            decrypt(args[1]);
            return;
        }
        switch (command) {
            case "new" -> out.println(Keyset.generate().secretJson());
            case "rotate" -> {
                String current = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
                Keyset rotated;
                try {
                    rotated = Keyset.parse(current).rotated();
                } catch (StepFailure notAKeyset) {
                    System.err.println("standard input: " + notAKeyset.getMessage());
                    System.exit(notAKeyset.exitCode().code());
                    return;
                }
                out.println(rotated.secretJson());
                System.err.println("new primary key id " + rotated.primaryKeyId() + "; keys that decrypt: "
                        + rotated.enabledKeyIds());
            }
            default -> {
                System.err.println(
                        "usage: ferry-keyset new | ferry-keyset rotate < keyset.json"
                                + " | FERRY_ENCRYPTION_KEYSET=… ferry-keyset decrypt <migration-id>/<path> < object > plaintext");
                System.exit(2);
            }
        }
    }
}
