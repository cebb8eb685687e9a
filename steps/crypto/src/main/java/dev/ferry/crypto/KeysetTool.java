package dev.ferry.crypto;

import dev.ferry.core.StepFailure;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Creates the key Secret's content ({@code new}) or adds a new primary key to it ({@code rotate}, the keyset read
 * from standard input): the keyset goes to standard output only, meant for a pipe into {@code oc create secret}.
 * Run it on a workstation (bin/ferry-keyset), never as a pod, whose standard output is its log.
 */
public final class KeysetTool {

    private KeysetTool() {}

    public static void main(String[] args) throws IOException {
        PrintStream out = System.out;
        String command = args.length == 1 ? args[0] : "";
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
                System.err.println("usage: ferry-keyset new | ferry-keyset rotate < keyset.json");
                System.exit(2);
            }
        }
    }
}
