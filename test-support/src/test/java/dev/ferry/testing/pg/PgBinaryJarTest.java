package dev.ferry.testing.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PgBinaryJarTest {

    @ParameterizedTest
    @EnumSource(PgMajor.class)
    void every_major_resolves_to_its_own_xz_archive(PgMajor major) throws IOException {
        // zonky asks with the system name "Linux"; the jar's entry is lower case.
        try (InputStream archive = new PgBinaryJar(major.binariesVersion()).getPgBinary("Linux", "x86_64")) {
            byte[] magic = archive.readNBytes(6);
            assertThat(magic).containsExactly(0xFD, '7', 'z', 'X', 'Z', 0x00);
        }
    }

    @Test
    void versions_come_from_the_parent_pom() {
        assertThat(PgMajor.SOURCE.majorVersion()).isLessThan(PgMajor.TARGET.majorVersion());
        assertThat(PgMajor.EXTRA.binariesVersion()).matches("\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void a_version_that_was_not_copied_is_a_clear_error() {
        assertThatThrownBy(() -> new PgBinaryJar("9.9.9").getPgBinary("Linux", "x86_64"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is not on the classpath");
    }
}
