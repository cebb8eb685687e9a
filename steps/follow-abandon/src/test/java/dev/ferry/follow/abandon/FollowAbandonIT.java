package dev.ferry.follow.abandon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.workspace.JsonCodec;
import dev.ferry.follow.FollowSlot;
import dev.ferry.follow.FollowTeardown;
import dev.ferry.follow.PublicationRecord;
import dev.ferry.follow.ReplicaIdentities;
import dev.ferry.follow.TableKeys;
import dev.ferry.testing.ProgramRunner;
import dev.ferry.testing.StepProgram;
import dev.ferry.testing.follow.FollowRig;
import dev.ferry.testing.follow.FollowServers;
import dev.ferry.testing.pg.OnyxFixture;
import dev.ferry.testing.pg.PostgresServer;
import dev.ferry.testing.pg.SnapshotCopy;
import dev.ferry.testing.pg.TableRows;
import dev.ferry.testing.s3.S3TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follow-abandon program as a process beside follow-capture and follow-apply, through real parts: PostgreSQL 15
 * with {@code wal_level=logical} and the Onyx fixture (chat_message with only {@code UNIQUE (id)}, so a follow sets
 * its replica identity), followed into PostgreSQL 17 through an S3 server. Abandon while capture streams, abandon
 * twice, the guard abandoning a follow whose capture was lost, the guard ending with a follow that finished, and a
 * new tenant's table created and written during the follow.
 */
class FollowAbandonIT {

    static final Path ABANDON = Path.of("target", "quarkus-app", "quarkus-run.jar");
    static final Path CAPTURE = Path.of("..", "follow-capture", "target", "quarkus-app", "quarkus-run.jar");
    static final Path APPLY = Path.of("..", "follow-apply", "target", "quarkus-app", "quarkus-run.jar");
    static final String DATABASE = "onyx";
    static final String SLOT = FollowRig.SLOT;
    static final String PUBLICATION = FollowRig.PUBLICATION;
    static final String BUCKET = "ferry-abandon";
    static final Duration PATIENCE = Duration.ofSeconds(60);

    static FollowServers servers;
    static PostgresServer source;
    static PostgresServer target;
    static S3TestServer s3;
    /** Every table's replica identity ({@code pg_class.relreplident}) before any follow touched it. */
    static Map<String, String> identitiesBefore;

    @TempDir
    Path work;

    final List<ProgramRunner.Running> started = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        servers = FollowServers.start(DATABASE, BUCKET);
        source = servers.source();
        target = servers.target();
        s3 = servers.s3();
        try (Connection c = source.connect(DATABASE)) {
            identitiesBefore = TableRows.replicaIdentities(c);
        }
        assertThat(identitiesBefore).containsEntry("public.chat_message", "d");
    }

    @AfterAll
    static void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    /** Nothing this test started outlives it, whatever failed: a running capture would hold the slot. */
    @AfterEach
    void stopAll() throws Exception {
        started.forEach(ProgramRunner.Running::kill);
        // A test that failed half-way leaves no follow behind for the next one.
        try (Connection c = source.connect(DATABASE);
                Statement sql = c.createStatement()) {
            FollowTeardown.run(c, SLOT, PUBLICATION, PATIENCE);
            sql.execute("DROP SCHEMA IF EXISTS tenant_new CASCADE");
        }
    }

    @Test
    void abandon_while_capture_streams_removes_everything_stops_apply_and_runs_again_as_nothing_to_remove()
            throws Exception {
        FollowRig rig = startFollow("abandon-streaming");
        ProgramRunner.Running capture = start(CAPTURE, rig.captureSettings(source));
        ProgramRunner.Running apply = startApply(rig, "abandon_streaming", "before-abandon");
        capture.awaitWhileRunning("a segment stored", () -> !rig.segments().isEmpty(), PATIENCE);
        apply.awaitWhileRunning(
                "apply reported progress",
                () -> rig.object("apply-progress.json").isPresent(),
                PATIENCE);
        try (Connection c = source.connect(DATABASE)) {
            assertThat(FollowRig.slotActive(c, SLOT))
                    .as("capture streams the slot")
                    .isTrue();
            assertThat(TableRows.replicaIdentities(c))
                    .as("the follow set one")
                    .containsEntry("public.chat_message", "i");
        }

        ProgramRunner.Outcome abandoned = run(abandonSettings(rig));

        assertThat(abandoned.exitCode()).as(abandoned.output()).isZero();
        assertThat(abandoned.output())
                .contains("wal_sender_terminated=true")
                .contains("step=follow-abandon outcome=done")
                .contains("removed=slot-and-publication")
                .contains("replica_identities_restored=public.chat_message")
                .contains("heartbeat=ABANDONED");
        assertSourceAsBeforeTheFollow();
        assertThat(heartbeat(rig).path("state").asText()).isEqualTo("ABANDONED");

        ProgramRunner.Outcome applyEnded = apply.await(PATIENCE);
        assertThat(applyEnded.exitCode()).as(applyEnded.output()).isEqualTo(3);
        assertThat(lastLine(applyEnded))
                .contains("step=follow-apply outcome=failed exit=3 (refused by a safety precondition): the follow was"
                        + " abandoned on the old cluster")
                .contains("restore a new base copy and start a new follow");
        ProgramRunner.Outcome captureEnded = capture.await(PATIENCE);
        assertThat(captureEnded.exitCode()).as("its WAL sender was terminated").isNotZero();
        assertThat(heartbeat(rig).path("state").asText())
                .as("a capture on its way out does not make the follow look alive again")
                .isEqualTo("ABANDONED");

        ProgramRunner.Outcome again = run(abandonSettings(rig));
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains("nothing_to_remove=true");
        assertThat(lastLine(again)).contains("step=follow-abandon outcome=done").contains("removed=nothing");
        assertSourceAsBeforeTheFollow();
    }

    @Test
    void the_guard_abandons_a_follow_whose_capture_stopped_heartbeating() throws Exception {
        FollowRig rig = startFollow("guard-stale");
        ProgramRunner.Running capture = start(CAPTURE, rig.captureSettings(source));
        capture.awaitWhileRunning(
                "a heartbeat", () -> rig.object("capture-heartbeat.json").isPresent(), PATIENCE);
        // Lost with its node: nothing stops it cleanly, nothing writes a last heartbeat.
        capture.kill();
        capture.await(PATIENCE);

        Map<String, String> guard = abandonSettings(rig);
        guard.put("FERRY_FOLLOW_ABANDON_WHEN_STALE", "3s");
        guard.put("FERRY_FOLLOW_ABANDON_POLL_INTERVAL", "200ms");
        ProgramRunner.Outcome guarded = start(ABANDON, guard).await(PATIENCE);

        assertThat(guarded.exitCode()).as(guarded.output()).isZero();
        assertThat(guarded.output()).contains("phase=guard slot=ferry_follow stale=true");
        assertThat(lastLine(guarded))
                .contains("step=follow-abandon outcome=done")
                .contains("reason=abandon")
                .contains("removed=slot-and-publication");
        assertSourceAsBeforeTheFollow();
        assertThat(heartbeat(rig).path("state").asText()).isEqualTo("ABANDONED");
    }

    @Test
    void the_guard_ends_with_the_follow_that_finished_and_the_clean_up_says_finished() throws Exception {
        FollowRig rig = startFollow("guard-finished");
        ProgramRunner.Running capture = start(CAPTURE, rig.captureSettings(source));
        capture.awaitWhileRunning(
                "a heartbeat", () -> rig.object("capture-heartbeat.json").isPresent(), PATIENCE);
        Map<String, String> guardSettings = abandonSettings(rig);
        guardSettings.put("FERRY_FOLLOW_ABANDON_WHEN_STALE", "10m");
        guardSettings.put("FERRY_FOLLOW_ABANDON_POLL_INTERVAL", "200ms");
        ProgramRunner.Running guard = start(ABANDON, guardSettings);

        try (Connection c = source.connect(DATABASE)) {
            FollowSlot.emitDrainMarker(c, "drain-1");
        }
        ProgramRunner.Outcome drained = capture.await(PATIENCE);
        assertThat(drained.exitCode()).as(drained.output()).isZero();
        Map<String, String> cleanUp = abandonSettings(rig);
        cleanUp.put("FERRY_FOLLOW_ABANDON_REASON", "finished");
        ProgramRunner.Outcome finished = run(cleanUp);
        assertThat(finished.exitCode()).as(finished.output()).isZero();
        assertThat(lastLine(finished))
                .contains("reason=finished")
                .contains("removed=slot-and-publication")
                .contains("heartbeat=FINISHED");
        assertSourceAsBeforeTheFollow();

        ProgramRunner.Outcome guarded = guard.await(PATIENCE);
        assertThat(guarded.exitCode()).as(guarded.output()).isZero();
        assertThat(lastLine(guarded))
                .contains("step=follow-abandon outcome=done")
                .contains("action=none")
                .contains("reason=follow-ended");
        assertThat(heartbeat(rig).path("state").asText()).isEqualTo("FINISHED");
    }

    @Test
    void a_new_tenants_table_written_during_the_follow_stops_apply_naming_it_and_nothing_after_it_is_applied()
            throws Exception {
        FollowRig rig = startFollow("new-tenant");
        ProgramRunner.Running capture = start(CAPTURE, rig.captureSettings(source));
        ProgramRunner.Running apply = startApply(rig, "new_tenant", "before-tenant");
        apply.awaitWhileRunning("the change before the tenant applied", () -> onTarget("before-tenant"), PATIENCE);

        // Onyx's tenant provisioning: a schema and its tables, then the new tenant's first rows; then more work.
        write("CREATE SCHEMA tenant_new; CREATE TABLE tenant_new.document (id integer PRIMARY KEY, title text);"
                + " INSERT INTO tenant_new.document VALUES (1, 'first')");
        write("INSERT INTO public.key_value_store (key, value) VALUES ('after-tenant', '\"2\"')");

        ProgramRunner.Outcome stopped = apply.await(PATIENCE);
        assertThat(stopped.exitCode()).as(stopped.output()).isEqualTo(3);
        assertThat(lastLine(stopped))
                .contains("step=follow-apply outcome=failed exit=3 (refused by a safety precondition): relation"
                        + " tenant_new.document does not exist on the target")
                .contains("Start the follow again from a new base copy")
                .contains("pause tenant provisioning");
        assertThat(onTarget("after-tenant"))
                .as("nothing after the new table is applied")
                .isFalse();

        ProgramRunner.Outcome abandoned = run(abandonSettings(rig));
        assertThat(abandoned.exitCode()).as(abandoned.output()).isZero();
        capture.await(PATIENCE);
        write("DROP SCHEMA tenant_new CASCADE");
        assertSourceAsBeforeTheFollow();
    }

    @Test
    void an_onyx_upgrade_during_the_follow_stops_capture_naming_the_revisions_and_none_of_it_is_applied()
            throws Exception {
        FollowRig rig = startFollow("onyx-upgrade");
        ProgramRunner.Running capture = start(CAPTURE, rig.captureSettings(source));
        ProgramRunner.Running apply = startApply(rig, "onyx_upgrade", "before-upgrade");
        apply.awaitWhileRunning("the change before the upgrade applied", () -> onTarget("before-upgrade"), PATIENCE);
        List<String> storedBefore = rig.segments();

        // An Onyx pod restarted onto a newer image: alembic upgrade head alters a table, writes a row of its new
        // shape and records the revision, in one transaction.
        write("BEGIN; ALTER TABLE public.key_value_store ADD COLUMN upgraded_note text;"
                + " INSERT INTO public.key_value_store (key, value, upgraded_note) VALUES ('during-upgrade', '\"3\"',"
                + " 'new'); UPDATE public.alembic_version SET version_num = 'f00dfeed0001'; COMMIT");

        ProgramRunner.Outcome stopped = capture.await(PATIENCE);
        assertThat(stopped.exitCode()).as(stopped.output()).isEqualTo(3);
        assertThat(lastLine(stopped))
                .contains("step=follow-capture outcome=failed exit=3 (refused by a safety precondition): Onyx was"
                        + " upgraded on the source during the follow")
                .contains("changed public.alembic_version from [" + OnyxFixture.ALEMBIC_HEAD + "] to [f00dfeed0001]")
                .contains("start it again from a new base copy");
        ProgramRunner.Outcome again =
                start(CAPTURE, rig.captureSettings(source)).await(PATIENCE);
        assertThat(again.exitCode())
                .as("a capture started again stops at the same transaction")
                .isEqualTo(3);
        assertThat(rig.segments()).as("nothing of the upgrade is stored").isEqualTo(storedBefore);
        assertThat(onTarget("during-upgrade"))
                .as("nothing of the upgrade is applied")
                .isFalse();

        ProgramRunner.Outcome abandoned = run(abandonSettings(rig));
        assertThat(abandoned.exitCode()).as(abandoned.output()).isZero();
        apply.await(PATIENCE);
        write("BEGIN; DELETE FROM public.key_value_store WHERE key = 'during-upgrade';"
                + " ALTER TABLE public.key_value_store DROP COLUMN upgraded_note;"
                + " UPDATE public.alembic_version SET version_num = '" + OnyxFixture.ALEMBIC_HEAD + "'; COMMIT");
        assertSourceAsBeforeTheFollow();
    }

    /**
     * What a follow's base copy does on the source, then the copy itself: replica identities set and recorded on the
     * publication in one transaction, the slot created with its snapshot exported, the target restored from it.
     */
    FollowRig startFollow(String migrationId) throws Exception {
        try (Connection c = source.connect(DATABASE)) {
            List<ReplicaIdentities.Changed> changed = ReplicaIdentities.set(c, TableKeys.read(c));
            c.setAutoCommit(false);
            FollowSlot.createPublication(c, PUBLICATION);
            PublicationRecord.write(c, PUBLICATION, changed);
            c.commit();
        }
        try (Connection admin = target.connect("postgres");
                Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        }
        target.createDatabase(DATABASE);
        try (Connection replication = FollowSlot.replicationConnection(
                source.jdbcUrl(DATABASE), source.superuser(), source.superuserPassword(), "ferry-abandon-it")) {
            String snapshot = FollowSlot.create(replication, SLOT).snapshot();
            SnapshotCopy.copy(source, target, DATABASE, snapshot, work.resolve("base.pgdump"));
        }
        return new FollowRig(s3, BUCKET, "onyx", migrationId, DATABASE, work);
    }

    void assertSourceAsBeforeTheFollow() throws SQLException {
        try (Connection c = source.connect(DATABASE)) {
            assertThat(FollowRig.slotExists(c, SLOT)).as("the slot is dropped").isFalse();
            try (Statement sql = c.createStatement();
                    ResultSet rs = sql.executeQuery("SELECT count(*) FROM pg_publication")) {
                rs.next();
                assertThat(rs.getLong(1)).as("the publication is dropped").isZero();
            }
            assertThat(TableRows.replicaIdentities(c))
                    .as("every replica identity as it was before the follow")
                    .isEqualTo(identitiesBefore);
        }
    }

    Map<String, String> abandonSettings(FollowRig rig) {
        Map<String, String> env = rig.settings(source, "abandon-results");
        env.put("FERRY_FOLLOW_ABANDON_SENDER_TIMEOUT", "30s");
        return env;
    }

    /** Apply on its own replication origin, and a first change for it to carry: {@code key} in key_value_store. */
    ProgramRunner.Running startApply(FollowRig rig, String origin, String key) throws SQLException {
        ProgramRunner.Running apply = start(APPLY, applySettings(rig, origin));
        write("INSERT INTO public.key_value_store (key, value) VALUES ('" + key + "', '\"1\"')");
        return apply;
    }

    /** Each follow has its own replication origin on the shared target. */
    static Map<String, String> applySettings(FollowRig rig, String origin) {
        Map<String, String> env = rig.applySettings(target);
        env.put("FERRY_FOLLOW_APPLY_ORIGIN", origin);
        return env;
    }

    ProgramRunner.Running start(Path jar, Map<String, String> settings) {
        ProgramRunner.Running running = ProgramRunner.start(StepProgram.javaCommand(jar), settings, line -> {});
        started.add(running);
        return running;
    }

    ProgramRunner.Outcome run(Map<String, String> settings) {
        return start(ABANDON, settings).await(PATIENCE);
    }

    static String lastLine(ProgramRunner.Outcome outcome) {
        String[] lines = outcome.output().strip().split("\n");
        return lines[lines.length - 1];
    }

    static void write(String statements) throws SQLException {
        try (Connection c = source.connect(DATABASE);
                Statement sql = c.createStatement()) {
            sql.execute(statements);
        }
    }

    static boolean onTarget(String key) {
        try (Connection c = target.connect(DATABASE);
                PreparedStatement sql =
                        c.prepareStatement("SELECT count(*) FROM public.key_value_store WHERE key = ?")) {
            sql.setString(1, key);
            try (ResultSet rs = sql.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode heartbeat(FollowRig rig) {
        Optional<byte[]> bytes = rig.object("capture-heartbeat.json");
        try {
            return JsonCodec.mapper().readTree(bytes.orElseThrow());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
