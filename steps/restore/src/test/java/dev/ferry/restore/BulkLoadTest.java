package dev.ferry.restore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.testing.InProcessStep;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BulkLoadTest {

    /** PostgreSQL's defaults: maintenance_work_mem 64MB, effective_cache_size 4GB, 8 and 2 workers. */
    static final BulkLoad.ServerSettings DEFAULTS = new BulkLoad.ServerSettings(64 * 1024, 4L * 1024 * 1024, 8, 2);

    static RestoreConfig config(Map<String, String> env) {
        return InProcessStep.config(RestoreConfig.class, env);
    }

    @Test
    void unsetSettingsAreSizedFromTheTargetAndSharedByTheJobs() {
        BulkLoad plan = BulkLoad.plan(config(Map.of()), 2, DEFAULTS);

        assertThat(plan.maintenanceWorkMemKb()).isEqualTo(4L * 1024 * 1024 / 6 / 2);
        assertThat(plan.parallelMaintenanceWorkers()).isEqualTo(4);
        assertThat(plan.sessionSettings())
                .containsEntry("maintenance_work_mem", "349525kB")
                .containsEntry("max_parallel_maintenance_workers", "4")
                .containsEntry("synchronous_commit", "off");
    }

    @Test
    void neverLessThanTheServerAlreadyGivesNorMoreThanTwoGigabytes() {
        BulkLoad.ServerSettings small = new BulkLoad.ServerSettings(256 * 1024, 512 * 1024, 2, 3);
        assertThat(BulkLoad.plan(config(Map.of()), 8, small).maintenanceWorkMemKb())
                .isEqualTo(256 * 1024);
        assertThat(BulkLoad.plan(config(Map.of()), 8, small).parallelMaintenanceWorkers())
                .isEqualTo(3);

        BulkLoad.ServerSettings huge = new BulkLoad.ServerSettings(64 * 1024, 512L * 1024 * 1024, 8, 2);
        assertThat(BulkLoad.plan(config(Map.of()), 1, huge).maintenanceWorkMemKb())
                .isEqualTo(BulkLoad.MAX_MAINTENANCE_WORK_MEM_KB);
    }

    @Test
    void givenSettingsWin() {
        BulkLoad plan = BulkLoad.plan(
                config(Map.of(
                        "FERRY_RESTORE_MAINTENANCE_WORK_MEM", "1G",
                        "FERRY_RESTORE_PARALLEL_MAINTENANCE_WORKERS", "0",
                        "FERRY_RESTORE_SYNCHRONOUS_COMMIT", "true")),
                2,
                DEFAULTS);

        assertThat(plan.sessionSettings())
                .containsEntry("maintenance_work_mem", "1048576kB")
                .containsEntry("max_parallel_maintenance_workers", "0")
                .containsEntry("synchronous_commit", "on");
    }
}
