package dev.ferry.core;

import dev.ferry.core.workspace.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A folder, readable by this user only, for the files a step must write that hold secrets: the libpq
 * passfile, restore's filtered globals.sql with its password hashes. It lives in memory where the system
 * offers that ({@code /dev/shm}: a tmpfs on Linux, the pod's own in Kubernetes), so even a SIGKILL leaves
 * no secret on a disk. It is removed on close and on SIGTERM; one left by a killed run is removed by the
 * next step that creates one, as its name carries the process id that owned it.
 */
public final class SecretFolder implements AutoCloseable {

    private static final Path MEMORY_BACKED = Path.of("/dev/shm");
    private static final Pattern NAME = Pattern.compile("ferry-(\\d+)-.+");

    private final Path folder;
    private final StepStop.Registration removeOnStop;

    private SecretFolder(Path folder) {
        this.folder = folder;
        this.removeOnStop = StepStop.onStop(() -> AtomicFiles.deleteRecursively(folder));
    }

    /** Creates a folder in memory when the system has {@code /dev/shm}, else in the JVM's temp folder. */
    public static SecretFolder create() {
        return createIn(parent());
    }

    static SecretFolder createIn(Path parent) {
        removeLeftovers(parent);
        try {
            return new SecretFolder(Files.createTempDirectory(
                    parent,
                    "ferry-" + ProcessHandle.current().pid() + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a private folder for secret files in " + parent, e);
        }
    }

    /** Where secret folders go: {@code /dev/shm} when the system has it, else the JVM's temp folder. */
    public static Path parent() {
        return Files.isDirectory(MEMORY_BACKED) && Files.isWritable(MEMORY_BACKED)
                ? MEMORY_BACKED
                : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** Removes the secret folders of processes that are gone (killed before they could clean up). */
    static void removeLeftovers(Path parent) {
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(parent, "ferry-*")) {
            for (Path folder : folders) {
                ownerPid(folder)
                        .filter(pid -> ProcessHandle.of(pid).isEmpty())
                        .filter(pid -> Files.isDirectory(folder) && Files.isWritable(folder))
                        .ifPresent(gone -> AtomicFiles.deleteRecursively(folder));
            }
        } catch (IOException | UncheckedIOException unlistable) {
            // Another user's leftovers, or a folder that vanished meanwhile: not this step's to clean.
        }
    }

    private static Optional<Long> ownerPid(Path folder) {
        Matcher name = NAME.matcher(folder.getFileName().toString());
        return name.matches() ? Optional.of(Long.parseLong(name.group(1))) : Optional.empty();
    }

    public Path path() {
        return folder;
    }

    @Override
    public void close() {
        removeOnStop.close();
        AtomicFiles.deleteRecursively(folder);
    }
}
