package dev.ferry.follow.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.workspace.JsonCodec;
import dev.ferry.follow.FollowSlot;
import dev.ferry.follow.ReplicaIdentities;
import dev.ferry.follow.Segment;
import dev.ferry.follow.SegmentNames;
import dev.ferry.follow.TableKeys;
import dev.ferry.follow.bucket.CutoverCommit;
import dev.ferry.testing.ProgramRunner;
import dev.ferry.testing.StepProgram;
import dev.ferry.testing.follow.FollowRig;
import dev.ferry.testing.follow.FollowServers;
import dev.ferry.testing.pg.OnyxWriter;
import dev.ferry.testing.pg.PostgresServer;
import dev.ferry.testing.pg.SnapshotCopy;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.replication.LogSequenceNumber;

/**
 * The follow-capture and follow-apply programs as processes, through real parts: PostgreSQL 15 with
 * {@code wal_level=logical} and the Onyx fixture (chat_message with only {@code UNIQUE (id)}) followed into PostgreSQL
 * 17 through an S3 server, with a writer running from before the slot exists; capture and apply each killed (-9) in
 * mid-stream and started again, a segment delivered a second time under another name, capture stopped by SIGTERM and
 * started again, a drain marker that ends both, and then every table compared row by row, independently of Ferry.
 */
class FollowIT {

    static final Path APPLY = Path.of("target", "quarkus-app", "quarkus-run.jar");
    static final Path CAPTURE = Path.of("..", "follow-capture", "target", "quarkus-app", "quarkus-run.jar");
    static final String DATABASE = "onyx";
    static final String SLOT = "ferry_follow";
    static final String PUBLICATION = "ferry_follow";
    static final String BUCKET = "ferry-follow";
    static final String MIGRATION = "onyx-follow-it";
    static final String FOLDER = "onyx/" + MIGRATION + "/follow/";
    static final Duration PATIENCE = Duration.ofSeconds(60);

    static PostgresServer source;
    static PostgresServer target;
    static S3TestServer s3;
    static List<ReplicaIdentities.Changed> changedIdentities = List.of();

    @TempDir
    Path work;

    final List<ProgramRunner.Running> started = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        FollowServers servers = FollowServers.start(DATABASE, BUCKET);
        source = servers.source();
        target = servers.target();
        s3 = servers.s3();
        try (Connection c = source.connect(DATABASE)) {
            changedIdentities = ReplicaIdentities.set(c, TableKeys.read(c));
            FollowSlot.createPublication(c, PUBLICATION);
        }
        target.createDatabase(DATABASE);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (source != null) {
                try (Connection c = source.connect(DATABASE)) {
                    await("the slot released", () -> !slotActive(c));
                    FollowSlot.drop(c, SLOT, PUBLICATION);
                    ReplicaIdentities.restore(c, changedIdentities);
                }
            }
        } finally {
            if (s3 != null) {
                s3.close();
            }
            if (source != null) {
                source.close();
            }
            if (target != null) {
                target.close();
            }
        }
    }

    @Test
    void every_change_arrives_exactly_once_across_killed_programs_a_second_delivery_and_a_sigterm() throws Exception {
        ProgramRunner.Running capture;
        ProgramRunner.Running apply;
        String again;
        String later;
        try (OnyxWriter writer = OnyxWriter.start(source, DATABASE)) {
            writer.awaitTransactions(20, PATIENCE);
            try (Connection replication = FollowSlot.replicationConnection(
                    source.jdbcUrl(DATABASE), source.superuser(), source.superuserPassword(), "ferry-follow-it")) {
                baseCopy(FollowSlot.create(replication, SLOT).snapshot());
            }

            capture = start(CAPTURE, captureSettings());
            apply = start(APPLY, applySettings());
            capture.awaitWhileRunning("three segments stored", () -> segments().size() >= 3, PATIENCE);

            // kill -9 of capture: the slot has confirmed nothing that is not in the bucket, and a new capture goes on.
            capture.kill();
            capture.await(PATIENCE);
            try (Connection c = source.connect(DATABASE)) {
                await("the killed capture's WAL sender gone", () -> !slotActive(c));
                assertThat(confirmedFlush(c))
                        .as("the slot confirmed nothing beyond the newest stored segment")
                        .isLessThanOrEqualTo(SegmentNames.end(last(segments())).asLong());
            }
            int before = segments().size();
            capture = start(CAPTURE, captureSettings());
            capture.awaitWhileRunning(
                    "two more segments stored", () -> segments().size() >= before + 2, PATIENCE);

            // kill -9 of apply once it has applied some, then a segment it applied delivered again under a later name.
            apply.awaitWhileRunning(
                    "apply reported progress", () -> applyProgress().isPresent(), PATIENCE);
            apply.kill();
            apply.await(PATIENCE);
            List<String> stored = segments();
            again = stored.get(1);
            later = Segment.nameFor(
                    LogSequenceNumber.valueOf(SegmentNames.end(last(stored)).asLong() + 1));
            s3.client()
                    .copyObject(b -> b.sourceBucket(BUCKET)
                            .sourceKey(FOLDER + "segments/" + again)
                            .destinationBucket(BUCKET)
                            .destinationKey(FOLDER + "segments/" + later));
            ConcurrentLinkedQueue<String> applyLines = new ConcurrentLinkedQueue<>();
            apply = start(APPLY, applySettings(), applyLines::add);
            apply.awaitWhileRunning(
                    "the second delivery skipped",
                    () -> applyLines.stream()
                            .anyMatch(l -> l.contains("skipped=already-applied") && l.contains("segment=" + again)),
                    PATIENCE);
            long written = writer.transactions();
            writer.awaitTransactions(written + 50, PATIENCE);
        }

        // SIGTERM: capture stores what it holds, confirms it, and ends; the next capture goes on from there.
        capture.terminate();
        ProgramRunner.Outcome stopped = capture.await(PATIENCE);
        assertThat(stopped.exitCode()).as(stopped.output()).isEqualTo(143);
        // Its log may already be shut down beside the signal hook; the heartbeat it wrote on its way out tells.
        assertThat(heartbeat().path("state").asText()).as(stopped.output()).isEqualTo("STOPPED");
        try (Connection c = source.connect(DATABASE)) {
            await("the stopped capture's WAL sender gone", () -> !slotActive(c));
            FollowSlot.emitDrainMarker(c, "drain-1");
        }
        ProgramRunner.Running last = start(CAPTURE, captureSettings());
        ProgramRunner.Outcome drained = last.await(PATIENCE);
        assertThat(drained.exitCode()).as(drained.output()).isZero();
        assertThat(drained.output())
                .contains("step=follow-capture outcome=done")
                .contains("marker=drain-1");
        assertThat(heartbeat().path("state").asText()).isEqualTo("DRAINED");
        // Playing the cutover's drain, which commits the cutover last: apply waits for it before it ends with 0.
        rig().put("cutover-committed.json", committed("drain-1"));

        ProgramRunner.Outcome applied = apply.await(PATIENCE);
        assertThat(applied.exitCode()).as(applied.output()).isZero();
        assertThat(applied.output())
                .contains("step=follow-apply outcome=done")
                .containsPattern("changes=[1-9][0-9]* apply_rate=[1-9][0-9]*/s")
                .contains("marker=drain-1")
                .contains("object=" + later + " holds=" + again);
        JsonNode progress = applyProgress().orElseThrow();
        assertThat(progress.path("state").asText()).isEqualTo("DRAINED");
        assertThat(progress.path("appliedUpTo").asText())
                .isEqualTo(heartbeat().path("storedUpTo").asText());

        List<String> tables = TableRows.userTables(source, DATABASE);
        assertThat(tables).contains("public.chat_message", "public.key_value_store");
        for (String table : tables) {
            assertThat(TableRows.rows(target, DATABASE, table))
                    .as("%s on the target, row by row", table)
                    .isEqualTo(TableRows.rows(source, DATABASE, table));
        }
        assertThat(TableRows.rows(source, DATABASE, "public.chat_message"))
                .as("the writer's rows are there")
                .hasSizeGreaterThan(100);
    }

    /** Debian's pg_dump 15 reads the slot's exported snapshot; pg_restore writes into PostgreSQL 17. */
    void baseCopy(String snapshot) throws Exception {
        SnapshotCopy.copy(source, target, DATABASE, snapshot, work.resolve("base.pgdump"));
    }

    ProgramRunner.Running start(Path jar, Map<String, String> settings) {
        return start(jar, settings, line -> {});
    }

    ProgramRunner.Running start(Path jar, Map<String, String> settings, Consumer<String> lines) {
        ProgramRunner.Running running = ProgramRunner.start(StepProgram.javaCommand(jar), settings, lines);
        started.add(running);
        return running;
    }

    FollowRig rig() {
        return new FollowRig(s3, BUCKET, "onyx", MIGRATION, DATABASE, work);
    }

    Map<String, String> captureSettings() {
        return rig().captureSettings(source);
    }

    byte[] committed(String marker) {
        return JsonCodec.toBytes(new CutoverCommit(
                CutoverCommit.FORMAT,
                MIGRATION,
                marker,
                heartbeat().path("storedUpTo").asText(),
                Instant.now()));
    }

    /** This test drains by hand, without the cutover's final state: apply ends at the marker without a proof. */
    Map<String, String> applySettings() {
        Map<String, String> env = rig().applySettings(target);
        env.put("FERRY_FOLLOW_APPLY_PROVE", "false");
        return env;
    }

    /** The segments in the bucket, in LSN order, as an independent listing sees them. */
    List<String> segments() {
        return rig().segments();
    }

    static String last(List<String> names) {
        return names.get(names.size() - 1);
    }

    JsonNode heartbeat() {
        return applyObject("capture-heartbeat.json").orElseThrow();
    }

    Optional<JsonNode> applyProgress() {
        return applyObject("apply-progress.json");
    }

    Optional<JsonNode> applyObject(String name) {
        return rig().object(name).map(bytes -> {
            try {
                return JsonCodec.mapper().readTree(bytes);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static boolean slotActive(Connection c) {
        return FollowRig.slotActive(c, SLOT);
    }

    static long confirmedFlush(Connection c) throws SQLException {
        try (PreparedStatement sql =
                c.prepareStatement("SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?")) {
            sql.setString(1, SLOT);
            try (ResultSet rs = sql.executeQuery()) {
                rs.next();
                return LogSequenceNumber.valueOf(rs.getString(1)).asLong();
            }
        }
    }

    /** Nothing this test started outlives it, whatever failed: a running capture would hold the slot. */
    @AfterEach
    void stopAll() {
        started.forEach(ProgramRunner.Running::kill);
    }

    static void await(String what, BooleanSupplier reached) throws InterruptedException {
        FollowRig.await(what, reached, PATIENCE);
    }
}
