package dev.ferry.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.harness.TaskRunOutcome;
import dev.ferry.testing.pg.DatabaseAccess;
import dev.ferry.testing.pg.OnyxFixture;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import dev.ferry.testing.pg.SchemaShapes;
import dev.ferry.testing.s3.CephRgwServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The main path a user takes: Onyx's Compose database (PostgreSQL 15) into a current CloudNativePG (17) and the
 * newest (18), through Ceph's RADOS Gateway (what OpenShift Data Foundation serves) with default settings, the
 * schema carrying every printed definition that reprints across majors ({@link SchemaShapes}): the rehearsal
 * pipeline, run by the local harness, passes validate end to end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CephAcrossMajorsIT {

    private static final Path PROJECT_ROOT = Path.of(System.getProperty("ferry.project.root", ".."))
            .toAbsolutePath()
            .normalize();
    private static final String BUCKET = "ferry-majors";
    private static final String DATABASE = "onyx";

    private PostgresServer source;
    private CephRgwServer ceph;

    @TempDir
    Path workdir;

    @BeforeAll
    void startParts() throws Exception {
        source = PostgresServer.start(PgMajor.EXTRA);
        OnyxFixture.singleTenant().installInto(source, DATABASE);
        try (Connection connection = source.connect(DATABASE);
                Statement sql = connection.createStatement()) {
            sql.execute(SchemaShapes.SQL);
        }
        ceph = CephRgwServer.start();
        ceph.createBucket(BUCKET);
    }

    @AfterAll
    void stopParts() throws Exception {
        for (AutoCloseable part : new AutoCloseable[] {source, ceph}) {
            if (part != null) {
                part.close();
            }
        }
    }

    @ParameterizedTest(name = "PostgreSQL 15 into {0}")
    @EnumSource(
            value = PgMajor.class,
            names = {"LATEST", "NEWEST"})
    void aMigrationFromPostgres15PassesThroughCephWithDefaultSettings(PgMajor targetMajor) throws Exception {
        try (PostgresServer target = PostgresServer.start(targetMajor)) {
            Map<String, String> objectStorage = new HashMap<>(ceph.stepEnvironment());
            objectStorage.remove("FERRY_S3_PATH_STYLE");
            objectStorage.put("FERRY_S3_BUCKET", BUCKET);
            objectStorage.put("FERRY_S3_PREFIX", "majors/" + targetMajor.majorVersion());

            RehearsalReport report = new Rehearsal(
                            PROJECT_ROOT,
                            workdir.resolve(targetMajor.name()),
                            DatabaseAccess.superuser(source, DATABASE),
                            DatabaseAccess.superuser(target, DATABASE),
                            objectStorage,
                            line -> {})
                    .run();

            assertThat(report.passed())
                    .as(() -> report.pipelineRun()
                            .firstFailure()
                            .map(run -> run.pipelineTask() + " failed (" + run.reason() + "):\n" + run.output())
                            .orElse("status " + report.pipelineRun().status()))
                    .isTrue();
            assertThat(report.phases())
                    .extracting(TaskRunOutcome::pipelineTask)
                    .contains("upload", "download", "restore", "validate");
            assertThat(report.validationMarkdown())
                    .hasValueSatisfying(md -> assertThat(md).contains("ferry_shapes"));
        }
    }
}
