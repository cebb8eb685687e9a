package dev.ferry.benchmark;

import dev.ferry.testing.pg.Pg17Client;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A set of PostgreSQL client tools both sides use in one comparison: those on PATH (Debian 12's 15), or
 * PostgreSQL 17's made runnable here by {@code hack/pg17-client.sh}. {@code binDir} empty means PATH.
 */
record ClientTools(String label, Optional<Path> binDir, String pgDumpVersion) {

    String program(String tool) {
        return binDir.map(dir -> dir.resolve(tool).toString()).orElse(tool);
    }

    int major() {
        String number = pgDumpVersion.replaceAll("^.*\\(PostgreSQL\\) (\\d+).*$", "$1");
        return Integer.parseInt(number.trim());
    }

    static ClientTools onPath() {
        return new ClientTools("PATH", Optional.empty(), version("pg_dump"));
    }

    /** PostgreSQL 17's tools when hack/pg17-client.sh can get them here, else empty (said on stderr). */
    static Optional<ClientTools> pg17() {
        Optional<Path> bin = Pg17Client.binDir();
        if (bin.isEmpty()) {
            System.err.println("PostgreSQL 17 client tools are not available here: measuring with PATH's only");
        }
        return bin.map(dir -> new ClientTools(
                "17", Optional.of(dir), version(dir.resolve("pg_dump").toString())));
    }

    private static String version(String pgDump) {
        try {
            Process process = new ProcessBuilder(pgDump, "--version")
                    .redirectErrorStream(true)
                    .start();
            String line = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            process.waitFor();
            return line;
        } catch (IOException e) {
            throw new IllegalStateException("no pg_dump on PATH: install the PostgreSQL client tools", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
