package dev.ferry.pg;

import dev.ferry.core.SecretFolder;
import dev.ferry.core.StepFailure;
import dev.ferry.core.StepStop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * A libpq password file ({@code PGPASSFILE}) holding one line for the endpoint's user, readable by
 * the owner only (0600, which libpq demands), deleted on close. It is how the password reaches
 * pg_dump, pg_restore and psql: never argv, where {@code ps} and Tekton's pod spec would show it.
 */
public final class PgPassfile implements AutoCloseable {

    private final Path file;
    /** Removes the file also when the step is stopped by SIGTERM, which skips {@link #close()}. */
    private final StepStop.Registration removeOnStop;
    /** The folder this passfile created for itself, removed with it. */
    private final Optional<SecretFolder> ownFolder;

    private PgPassfile(Path file, Optional<SecretFolder> ownFolder) {
        this.file = file;
        this.ownFolder = ownFolder;
        this.removeOnStop = StepStop.onStop(this::delete);
    }

    /** Writes the passfile into {@code folder}: a {@link SecretFolder}, never the shared workspace. */
    public static PgPassfile write(Path folder, String user, String password) {
        return write(folder, user, password, Optional.empty());
    }

    /** Writes the passfile into a {@link SecretFolder} of its own (in memory where the system allows). */
    public static PgPassfile write(String user, String password) {
        SecretFolder folder = SecretFolder.create();
        try {
            return write(folder.path(), user, password, Optional.of(folder));
        } catch (RuntimeException e) {
            folder.close();
            throw e;
        }
    }

    private static PgPassfile write(Path folder, String user, String password, Optional<SecretFolder> ownFolder) {
        String line = line(user, password);
        try {
            Path file = Files.createTempFile(
                    folder,
                    "ferry-",
                    ".pgpass",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, line, StandardCharsets.UTF_8);
            return new PgPassfile(file, ownFolder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the PostgreSQL password file in " + folder, e);
        }
    }

    /**
     * {@code *:*:*:user:password}: any host, port and database, because pg_dumpall and pg_restore
     * also connect to maintenance databases. libpq reads {@code \} and {@code :} escaped by a backslash.
     */
    static String line(String user, String password) {
        if (password.contains("\n") || password.contains("\r") || user.contains("\n") || user.contains("\r")) {
            throw StepFailure.badConfiguration(
                    "POSTGRES_PASSWORD or POSTGRES_USER contains a line break, which a libpq password file cannot carry");
        }
        return "*:*:*:" + escape(user) + ":" + escape(password) + "\n";
    }

    static String escape(String field) {
        return field.replace("\\", "\\\\").replace(":", "\\:");
    }

    public Path path() {
        return file;
    }

    @Override
    public void close() {
        removeOnStop.close();
        delete();
        ownFolder.ifPresent(SecretFolder::close);
    }

    private void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the PostgreSQL password file " + file, e);
        }
    }
}
