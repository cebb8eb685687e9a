package dev.ferry.follow.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.ArtifactKind;
import dev.ferry.core.workspace.DumpFormat;
import dev.ferry.core.workspace.JsonCodec;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.follow.FollowSlot;
import dev.ferry.follow.PublicationRecord;
import dev.ferry.follow.ReplicaIdentities;
import dev.ferry.follow.bucket.CutoverCommit;
import dev.ferry.testing.ProgramRunner;
import dev.ferry.testing.StepProgram;
import dev.ferry.testing.StepRun;
import dev.ferry.testing.follow.FollowRig;
import dev.ferry.testing.pg.OnyxFixture;
import dev.ferry.testing.pg.OnyxWriter;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import dev.ferry.testing.pg.TableRows;
import dev.ferry.testing.s3.S3TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A follow from its base copy to its drain, every step the program a Task runs, as a process: PostgreSQL 15 with
 * {@code wal_level=logical} and the Onyx fixture ({@code chat_message} keyed by {@code UNIQUE (id)} only) written to
 * from before the dump until after capture and apply run; dump in follow mode and upload on the old side; download,
 * restore into PostgreSQL 17 and validate on the new side (validate compares with the slot's snapshot, so the writes
 * after it do not matter); capture from the slot and apply from the consistent point the manifest in the bucket
 * records (no LSN passed by hand); a drain marker; then every table compared with the source row by row, independently
 * of Ferry.
 */
class BaseCopyIT {

    static final Path DUMP = program("dump");
    static final Path UPLOAD = program("upload");
    static final Path DOWNLOAD = program("download");
    static final Path RESTORE = program("restore");
    static final Path VALIDATE = program("validate");
    static final Path CAPTURE = program("follow-capture");
    static final Path APPLY = Path.of("target", "quarkus-app", "quarkus-run.jar");
    static final String DATABASE = "onyx";
    static final String SLOT = "ferry_follow";
    static final String PUBLICATION = "ferry_follow";
    static final String BUCKET = "ferry-base";
    static final String MIGRATION = "onyx-base-copy-it";
    static final Duration PATIENCE = Duration.ofSeconds(60);

    static PostgresServer source;
    static PostgresServer target;
    static S3TestServer s3;

    @TempDir
    Path oldSide;

    @TempDir
    Path newSide;

    final List<ProgramRunner.Running> started = new ArrayList<>();

    static Path program(String module) {
        return Path.of("..", module, "target", "quarkus-app", "quarkus-run.jar");
    }

    @BeforeAll
    static void start() throws Exception {
        source = PostgresServer.start(PgMajor.EXTRA, Map.of("wal_level", "logical"));
        target = PostgresServer.start(PgMajor.LATEST);
        s3 = S3TestServer.startTransient();
        s3.createBucket(BUCKET);
        OnyxFixture.singleTenant().installInto(source, DATABASE);
        try (Connection c = source.connect(DATABASE)) {
            OnyxFixture.keyChatMessageAsOnyxDoes(c);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (source != null) {
                try (Connection c = source.connect(DATABASE)) {
                    List<ReplicaIdentities.Changed> changed =
                            PublicationRecord.read(c, PUBLICATION).orElse(List.of());
                    FollowSlot.drop(c, SLOT, PUBLICATION);
                    ReplicaIdentities.restore(c, changed);
                }
            }
        } finally {
            for (AutoCloseable started : new AutoCloseable[] {s3, source, target}) {
                if (started != null) {
                    started.close();
                }
            }
        }
    }

    @Test
    void the_base_copy_restores_unchanged_and_apply_starts_where_the_manifest_says() throws Exception {
        Manifest.Follow follow;
        ProgramRunner.Running capture;
        ProgramRunner.Running apply;
        try (OnyxWriter writer = OnyxWriter.start(source, DATABASE)) {
            writer.awaitTransactions(20, PATIENCE);

            StepRun dumped = run(DUMP, oldSide(Map.of("FERRY_DUMP_FOLLOW", "true")));
            assertThat(dumped.exitCode()).as(dumped.toString()).isZero();
            assertThat(dumped.output()).contains("outcome=carried_by_follow");
            follow = Workspace.at(oldSide).readManifest().dump().follow();
            assertThat(follow.slot()).isEqualTo(SLOT);
            StepRun uploaded = run(UPLOAD, bucket(oldSide(Map.of())));
            assertThat(uploaded.exitCode()).as(uploaded.toString()).isZero();

            StepRun downloaded = run(DOWNLOAD, bucket(newSide(Map.of())));
            assertThat(downloaded.exitCode()).as(downloaded.toString()).isZero();
            StepRun restored = run(RESTORE, newSide(Map.of()));
            assertThat(restored.exitCode()).as(restored.toString()).isZero();
            StepRun validated = run(VALIDATE, newSide(Map.of()));
            assertThat(validated.exitCode()).as(validated.toString()).isZero();
            assertThat(validated.output()).contains("step=validate outcome=done");
            assertThat(writer.transactions())
                    .as("the writer went on through the base copy")
                    .isPositive();

            capture = start(CAPTURE, captureSettings());
            apply = start(APPLY, applySettings());
            apply.awaitWhileRunning("apply reported progress", BaseCopyIT::applyProgressStored, PATIENCE);
            long written = writer.transactions();
            writer.awaitTransactions(written + 50, PATIENCE);
        }

        try (Connection c = source.connect(DATABASE)) {
            FollowSlot.emitDrainMarker(c, "drain-base");
        }
        ProgramRunner.Outcome captured = capture.await(PATIENCE);
        assertThat(captured.exitCode()).as(captured.output()).isZero();
        // Playing the cutover's drain, which commits the cutover last: apply waits for it before it ends with 0.
        new FollowRig(s3, BUCKET, "onyx", MIGRATION, DATABASE, newSide)
                .put(
                        "cutover-committed.json",
                        JsonCodec.toBytes(new CutoverCommit(
                                CutoverCommit.FORMAT, MIGRATION, "drain-base", "0/0", Instant.now())));
        ProgramRunner.Outcome applied = apply.await(PATIENCE);
        assertThat(applied.exitCode()).as(applied.output()).isZero();
        assertThat(applied.output())
                .contains("phase=start from=" + follow.consistentPoint() + " source=manifest slot=" + SLOT)
                .contains("step=follow-apply outcome=done")
                .contains("marker=drain-base");

        assertThat(TableRows.userTables(source, DATABASE)).contains("public.chat_message", "public.key_value_store");
        assertThat(TableRows.differing(source, target, DATABASE))
                .as("tables whose rows on the target differ from the source's")
                .isEmpty();
        try (Connection c = target.connect(DATABASE)) {
            assertThat(publications(c))
                    .as("the follow's publication stays on the source")
                    .isZero();
        }
    }

    @Test
    void a_migration_whose_manifest_records_no_follow_is_refused_with_exit_3() {
        String migration = "onyx-no-follow";
        Manifest copyOnly = new Manifest(
                Manifest.FORMAT_VERSION,
                migration,
                Instant.now(),
                new Manifest.Source("15.10", 15, DATABASE, "15.10"),
                new Manifest.DumpSettings(DumpFormat.CUSTOM, "1", 1, false),
                List.of(new Manifest.Artifact("dump.pgdump", ArtifactKind.DUMP, 1, "0".repeat(64))),
                null,
                null,
                null);
        s3.client()
                .putObject(
                        b -> b.bucket(BUCKET).key("onyx/" + migration + "/manifest.json"),
                        RequestBody.fromBytes(JsonCodec.toBytes(copyOnly)));
        Map<String, String> env = applySettings();
        env.put("FERRY_MIGRATION_ID", migration);
        env.put("POSTGRES_DB", "postgres");
        env.put("FERRY_FOLLOW_APPLY_ORIGIN", "ferry_no_follow");

        StepRun outcome = run(APPLY, env);

        assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(3);
        assertThat(outcome.failureLine())
                .contains("migration onyx-no-follow's manifest records no follow")
                .contains("FERRY_DUMP_FOLLOW=true")
                .contains("FERRY_FOLLOW_APPLY_START_LSN");
    }

    StepRun run(Path program, Map<String, String> settings) {
        return StepProgram.at(program).run(settings, Duration.ofMinutes(3));
    }

    ProgramRunner.Running start(Path jar, Map<String, String> settings) {
        ProgramRunner.Running running = ProgramRunner.start(StepProgram.javaCommand(jar), settings, line -> {});
        started.add(running);
        return running;
    }

    Map<String, String> oldSide(Map<String, String> extra) {
        return settings(source, oldSide, extra);
    }

    Map<String, String> newSide(Map<String, String> extra) {
        return settings(target, newSide, extra);
    }

    static Map<String, String> settings(PostgresServer server, Path workdir, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("FERRY_WORKDIR", workdir.toString());
        env.put("FERRY_RESULTS_DIR", workdir.resolve("results").toString());
        env.put("FERRY_MIGRATION_ID", MIGRATION);
        env.put("POSTGRES_HOST", server.host());
        env.put("POSTGRES_PORT", Integer.toString(server.port()));
        env.put("POSTGRES_DB", DATABASE);
        env.put("POSTGRES_USER", server.superuser());
        env.put("POSTGRES_PASSWORD", server.superuserPassword());
        return env;
    }

    static Map<String, String> bucket(Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(settings);
        env.putAll(s3.stepEnvironment());
        env.put("FERRY_S3_BUCKET", BUCKET);
        env.put("FERRY_S3_PREFIX", "onyx");
        return env;
    }

    /** Small segments often, so the drain comes soon after the marker. */
    Map<String, String> captureSettings() {
        return bucket(settings(
                source,
                oldSide.resolve("capture"),
                Map.of(
                        "FERRY_FOLLOW_CAPTURE_SEGMENT_MAX_AGE",
                        "300ms",
                        "FERRY_FOLLOW_CAPTURE_HEARTBEAT_INTERVAL",
                        "1s")));
    }

    /** The drain here is a bare marker, not follow-cutover's: apply ends at it without waiting for a final state. */
    Map<String, String> applySettings() {
        return bucket(settings(
                target,
                newSide.resolve("apply"),
                Map.of(
                        "FERRY_FOLLOW_APPLY_POLL_INTERVAL",
                        "200ms",
                        "FERRY_FOLLOW_APPLY_PROGRESS_INTERVAL",
                        "1s",
                        "FERRY_FOLLOW_APPLY_PROVE",
                        "false")));
    }

    static boolean applyProgressStored() {
        return s3.client()
                        .listObjectsV2(
                                b -> b.bucket(BUCKET).prefix("onyx/" + MIGRATION + "/follow/apply-progress.json"))
                        .keyCount()
                > 0;
    }

    static long publications(Connection c) throws SQLException {
        try (PreparedStatement sql = c.prepareStatement("SELECT count(*) FROM pg_publication");
                ResultSet rs = sql.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Nothing this test started outlives it, whatever failed: a running capture would hold the slot. */
    @AfterEach
    void stopAll() {
        started.forEach(ProgramRunner.Running::kill);
    }
}
