package dev.ferry.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ferry.core.manifest.PhaseTiming;
import dev.ferry.validate.OutagePrediction.Basis;
import dev.ferry.validate.OutagePrediction.Part;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutagePredictionTest {

    static final Instant T0 = Instant.parse("2026-12-01T02:00:00Z");
    static final OutagePrediction.Assumptions ASSUMED =
            new OutagePrediction.Assumptions(Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2));

    /** A step that ran from {@code from} to {@code to} seconds after T0. */
    static PhaseTiming ran(String step, double from, double to, long bytes) {
        return new PhaseTiming(
                step, "m-1", T0.plusMillis((long) (from * 1000)), T0.plusMillis((long) (to * 1000)), bytes);
    }

    /** A rehearsal's timeline: dump 10 s, 2 s of pod start, upload 4 s, download 5 s, restore 20 s, validate 3 s. */
    static List<PhaseTiming> rehearsalTimeline() {
        return List.of(
                ran("dump", 0, 10, 52_000_000),
                ran("upload", 12, 16, 52_000_000),
                ran("download", 18, 23, 52_000_000),
                ran("restore", 25, 45, 52_000_000),
                ran("validate", 47, 50, 337_000_000));
    }

    static OutagePrediction rehearsal(long sourceRows, long rowsWrittenAfter) {
        return OutagePrediction.of(rehearsalTimeline(), sourceRows, rowsWrittenAfter, ASSUMED);
    }

    @Test
    void a_rehearsal_adds_the_measured_steps_the_waits_between_them_and_the_assumed_freeze_alembic_and_scale_up() {
        OutagePrediction outage = rehearsal(1_000_000, 0);

        assertThat(outage.parts())
                .extracting(Part::name)
                .containsExactly(
                        "freeze",
                        "dump",
                        "upload",
                        "download",
                        "restore",
                        "validate",
                        "alembic-run",
                        "scale-up",
                        OutagePrediction.BETWEEN_STEPS);
        assertThat(outage.parts())
                .filteredOn(p -> p.basis() == Basis.ASSUMED)
                .extracting(Part::name)
                .containsExactly("freeze", "alembic-run", "scale-up");
        assertThat(part(outage, OutagePrediction.BETWEEN_STEPS).seconds()).isCloseTo(8.0, within(1e-9));
        // 30 assumed + 42 measured + 8 waiting + 60 + 120 assumed
        assertThat(outage.seconds()).isCloseTo(260.0, within(1e-9));
        assertThat(outage.human()).isEqualTo("4 min 20 s");
        assertThat(outage.windowStart()).isEqualTo(T0);
        assertThat(outage.hasAssumptions()).isTrue();
    }

    @Test
    void rows_onyx_wrote_during_a_rehearsal_stretch_each_data_step_by_their_share() {
        OutagePrediction outage = rehearsal(1_000_000, 100_000);

        assertThat(outage.growth()).isCloseTo(1.1, within(1e-9));
        Part restore = part(outage, "restore");
        assertThat(restore.basis()).isEqualTo(Basis.EXTRAPOLATED);
        assertThat(restore.seconds()).isCloseTo(22.0, within(1e-9));
        assertThat(part(outage, "scale-up").seconds()).isEqualTo(120.0);
        assertThat(outage.describeParts()).contains("restore 22.0 s (extrapolated)", "freeze 30.0 s (assumed)");
    }

    @Test
    void after_a_real_freeze_the_freeze_is_measured_and_nothing_is_extrapolated() {
        List<PhaseTiming> timeline = new ArrayList<>();
        timeline.add(new PhaseTiming("freeze", null, T0.minusSeconds(40), T0.minusSeconds(5), 0));
        timeline.addAll(rehearsalTimeline());

        OutagePrediction outage = OutagePrediction.of(timeline, 1_000_000, 0, ASSUMED);

        assertThat(part(outage, "freeze").basis()).isEqualTo(Basis.MEASURED);
        assertThat(part(outage, "freeze").seconds()).isCloseTo(35.0, within(1e-9));
        assertThat(part(outage, OutagePrediction.BETWEEN_STEPS).seconds()).isCloseTo(13.0, within(1e-9));
        assertThat(outage.growth()).isEqualTo(1.0);
        assertThat(outage.windowStart()).isEqualTo(T0.minusSeconds(40));
    }

    @Test
    void a_cutover_without_object_storage_has_no_upload_or_download_part_and_overlapping_steps_add_no_wait() {
        OutagePrediction outage = OutagePrediction.of(
                List.of(ran("dump", 0, 10, 1), ran("restore", 8, 30, 1), ran("validate", 30, 33, 1)),
                1_000,
                0,
                ASSUMED);

        assertThat(outage.parts())
                .extracting(Part::name)
                .containsExactly("freeze", "dump", "restore", "validate", "alembic-run", "scale-up");
    }

    @Test
    void durations_read_as_a_person_says_them() {
        assertThat(OutagePrediction.humanDuration(12.44)).isEqualTo("12.4 s");
        assertThat(OutagePrediction.humanDuration(247)).isEqualTo("4 min 07 s");
        assertThat(OutagePrediction.humanDuration(3720)).isEqualTo("1 h 02 min");
    }

    private static Part part(OutagePrediction outage, String name) {
        return outage.parts().stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
