package dev.ferry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFolderTest {

    @Test
    void isReadableByItsOwnerOnlyAndGoneOnClose(@TempDir Path parent) throws Exception {
        Path created;
        try (SecretFolder secrets = SecretFolder.createIn(parent)) {
            created = secrets.path();
            Files.writeString(created.resolve("x.pgpass"), "*:*:*:onyx:s3cret\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(created)))
                    .isEqualTo("rwx------");
            assertThat(created.getFileName().toString())
                    .startsWith("ferry-" + ProcessHandle.current().pid() + "-");
        }
        assertThat(created).doesNotExist();
    }

    @Test
    void theFolderOfAProcessThatIsGoneIsRemovedByTheNextOneAndALiveOnesIsKept(@TempDir Path parent) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path leftover = Files.createDirectories(parent.resolve("ferry-" + gone.pid() + "-killed"));
        Files.writeString(leftover.resolve("x.pgpass"), "*:*:*:onyx:s3cret\n");
        Path live = Files.createDirectories(
                parent.resolve("ferry-" + ProcessHandle.current().pid() + "-running"));
        Path foreign = Files.createDirectories(parent.resolve("ferry-not-a-pid"));

        try (SecretFolder secrets = SecretFolder.createIn(parent)) {
            assertThat(secrets.path()).isDirectory();
        }

        assertThat(leftover).as("a SIGKILLed step's secrets").doesNotExist();
        assertThat(live).exists();
        assertThat(foreign).exists();
    }
}
