package dev.ferry.follow.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import org.junit.jupiter.api.Test;

/** The pieces of the preflight that need no server: sizes, ages, the target's major, the finding's line. */
class FollowPreflightCheckTest {

    @Test
    void volumeSizesReadAsKubernetesWritesThem() {
        assertThat(VolumeSize.parse("10Gi", "V")).isEqualTo(10L << 30);
        assertThat(VolumeSize.parse("500Mi", "V")).isEqualTo(500L << 20);
        assertThat(VolumeSize.parse("20G", "V")).isEqualTo(20_000_000_000L);
        assertThat(VolumeSize.parse("1.5Ti", "V")).isEqualTo((long) (1.5 * (1L << 40)));
        assertThat(VolumeSize.parse("4096", "V")).isEqualTo(4096L);
    }

    @Test
    void aSizeThatIsNoneIsBadConfigurationNamingTheSetting() {
        assertThatThrownBy(() -> VolumeSize.parse("ten gigs", "FERRY_FOLLOW_PREFLIGHT_VOLUME_SIZE"))
                .isInstanceOfSatisfying(
                        StepFailure.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION))
                .hasMessageStartingWith("FERRY_FOLLOW_PREFLIGHT_VOLUME_SIZE is \"ten gigs\"")
                .hasMessageContaining("10Gi");
        assertThatThrownBy(() -> VolumeSize.parse("0Gi", "V")).isInstanceOf(StepFailure.class);
    }

    @Test
    void agesReadAsAPersonSaysThem() {
        assertThat(WriteTransactions.age(0.42)).isEqualTo("0.4s");
        assertThat(WriteTransactions.age(42)).isEqualTo("42s");
        assertThat(WriteTransactions.age(723)).isEqualTo("12m03s");
        assertThat(WriteTransactions.age(7500)).isEqualTo("2h05m");
    }

    @Test
    void anOlderTargetIsRefusedAndANewerOneIsFine() {
        Finding older = TargetServer.majors(15, 14, "db:5432/onyx");
        assertThat(older.refused()).isTrue();
        assertThat(older.line())
                .isEqualTo("check=target verdict=refused: the target db:5432/onyx runs PostgreSQL 14, older than the"
                        + " source's 15: follow into PostgreSQL 15 or newer");
        assertThat(TargetServer.majors(15, 17, "db:5432/onyx").refused()).isFalse();
        assertThat(TargetServer.majors(17, 17, "db:5432/onyx").refused()).isFalse();
    }
}
