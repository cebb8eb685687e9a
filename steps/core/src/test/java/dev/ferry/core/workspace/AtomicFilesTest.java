package dev.ferry.core.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path folder;

    @Test
    void thePartialNameIsHiddenBesideTheTargetWithTheOneSuffix() {
        assertThat(AtomicFiles.partial(folder.resolve("dump.pgdump")))
                .isEqualTo(folder.resolve(".dump.pgdump.partial"));
    }

    @Test
    void writesReplaceWholeFilesAndLeaveNoPartialBehind() throws Exception {
        Path target = folder.resolve("report/validation.md");
        AtomicFiles.writeString(target, "first, longer text");
        AtomicFiles.writeString(target, "second");
        AtomicFiles.writeJson(folder.resolve("x.json"), Map.of("a", 1));

        assertThat(target).hasContent("second");
        assertThat(folder.resolve("x.json")).content().contains("\"a\" : 1");
        try (var all = Files.walk(folder)) {
            assertThat(all.map(Path::toString)).noneMatch(p -> p.endsWith(AtomicFiles.PARTIAL_SUFFIX));
        }
    }

    @Test
    void publishingAFolderReplacesTheOldOneWhole() throws Exception {
        Path target = folder.resolve("dump.dir");
        Files.createDirectories(target);
        Files.writeString(target.resolve("old.dat"), "old");
        Path partial = Files.createDirectories(AtomicFiles.partial(target));
        Files.writeString(partial.resolve("toc.dat"), "new");

        AtomicFiles.publish(partial, target);

        try (var files = Files.list(target)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("toc.dat");
        }
        assertThat(partial).doesNotExist();
        assertThat(folder.resolve(".dump.dir.old")).doesNotExist();
    }
}
