package dev.ferry.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgPassfileTest {

    @Test
    void escapes_colon_and_backslash_as_libpq_reads_them() {
        assertThat(PgPassfile.line("onyx", "a:b\\c")).isEqualTo("*:*:*:onyx:a\\:b\\\\c\n");
        assertThat(PgPassfile.line("us:er", "plain")).isEqualTo("*:*:*:us\\:er:plain\n");
    }

    @Test
    void is_readable_by_its_owner_only_and_gone_after_close(@TempDir Path folder) throws Exception {
        Path file;
        try (PgPassfile passfile = PgPassfile.write(folder, "onyx", "s3cret")) {
            file = passfile.path();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
            assertThat(Files.readString(file)).isEqualTo("*:*:*:onyx:s3cret\n");
        }
        assertThat(file).doesNotExist();
    }

    @Test
    void refuses_a_password_with_a_line_break() {
        assertThatThrownBy(() -> PgPassfile.line("onyx", "two\nlines")).isInstanceOfSatisfying(StepFailure.class, f -> {
            assertThat(f.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION);
            assertThat(f.getMessage()).contains("POSTGRES_PASSWORD").doesNotContain("two");
        });
    }
}
