package dev.ferry.testing.pg;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A follow's base copy as the tests make it: PATH's {@code pg_dump} reads an exported snapshot of the source, and
 * {@code pg_restore} writes it into the target, each as the server's superuser (password by environment only).
 */
public final class SnapshotCopy {

    private SnapshotCopy() {}

    /** Dumps {@code database} as of {@code snapshot} into {@code dump} and restores it into the same database of {@code target}. */
    public static void copy(PostgresServer source, PostgresServer target, String database, String snapshot, Path dump)
            throws IOException, InterruptedException {
        run(source, List.of("pg_dump", "-Fc", "--snapshot=" + snapshot, "-f", dump.toString(), "-d", database));
        run(
                target,
                List.of(
                        "pg_restore",
                        "--no-owner",
                        "--no-privileges",
                        "--exit-on-error",
                        "-d",
                        database,
                        dump.toString()));
    }

    /** Runs a client tool against {@code server}; a non-zero exit fails with the tool's output. */
    public static void run(PostgresServer server, List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of("-h", server.host(), "-p", Integer.toString(server.port()), "-U", server.superuser()));
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", server.superuserPassword());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        int exit = process.waitFor();
        if (exit != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + exit + ": " + output);
        }
    }
}
