package dev.ferry.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PgVersionTest {

    @Test
    void parses_debian_pg_dump_version_line() {
        PgVersion v = PgVersion.parseToolVersion("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n");
        assertThat(v.versionNum()).isEqualTo(150018);
        assertThat(v.major()).isEqualTo("15");
        assertThat(v).hasToString("15.18");
    }

    @Test
    void parses_pre_10_and_prerelease_versions() {
        assertThat(PgVersion.parseToolVersion("pg_dump (PostgreSQL) 9.6.24").versionNum())
                .isEqualTo(90624);
        assertThat(PgVersion.parseToolVersion("pg_dump (PostgreSQL) 9.6.24").major())
                .isEqualTo("9.6");
        assertThat(PgVersion.parseToolVersion("psql (PostgreSQL) 17beta1").versionNum())
                .isEqualTo(170000);
    }

    @Test
    void compares_majors_across_the_version_10_scheme_change() {
        PgVersion dump15 = PgVersion.parseToolVersion("pg_dump (PostgreSQL) 15.18");
        assertThat(dump15.isOlderMajorThan(PgVersion.ofServerVersionNum(160015)))
                .isTrue();
        assertThat(dump15.isOlderMajorThan(PgVersion.ofServerVersionNum("150002")))
                .isFalse();
        assertThat(dump15.isOlderMajorThan(PgVersion.ofServerVersionNum(140022)))
                .isFalse();
        assertThat(PgVersion.ofServerVersionNum(90624).isOlderMajorThan(PgVersion.ofServerVersionNum(100001)))
                .isTrue();
        assertThat(PgVersion.ofServerVersionNum(90624).isOlderMajorThan(PgVersion.ofServerVersionNum(90500)))
                .isFalse();
    }

    @Test
    void rejects_output_that_is_not_a_version() {
        assertThatThrownBy(() -> PgVersion.parseToolVersion("bash: pg_dump: command not found"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a PostgreSQL version line");
    }
}
