package dev.ferry.testing.pg;

import dev.ferry.testing.ConfigDocs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL 17's client tools (pg_dump with zstd and lz4), made runnable on this Debian 12 machine by
 * {@code hack/pg17-client.sh}: the folder of its wrapper scripts, or empty when they cannot be had here
 * (no network, not Debian), so that tests needing them skip instead of failing. Asked once per JVM.
 */
public final class Pg17Client {

    private static Optional<Path> binDir;

    private Pg17Client() {}

    /** The folder to give as FERRY_DUMP_PG_BIN_DIR / FERRY_RESTORE_PG_BIN_DIR, if there is one. */
    public static synchronized Optional<Path> binDir() {
        if (binDir == null) {
            binDir = locate(ConfigDocs.repositoryRoot());
        }
        return binDir;
    }

    private static Optional<Path> locate(Path repositoryRoot) {
        try {
            Process script = new ProcessBuilder(
                            repositoryRoot.resolve("hack/pg17-client.sh").toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String folder = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!script.waitFor(5, TimeUnit.MINUTES) || script.exitValue() != 0 || folder.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(Path.of(folder));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
