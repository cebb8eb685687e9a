package dev.ferry.follow.cutover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.workspace.JsonCodec;
import dev.ferry.follow.FollowSlot;
import dev.ferry.follow.ReplicaIdentities;
import dev.ferry.follow.TableKeys;
import dev.ferry.follow.bucket.FinalState;
import dev.ferry.testing.ProgramRunner;
import dev.ferry.testing.follow.FollowRig;
import dev.ferry.testing.follow.FollowServers;
import dev.ferry.testing.pg.OnyxWriter;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import dev.ferry.testing.pg.SnapshotCopy;
import dev.ferry.testing.pg.TableRows;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A follow's cutover through real parts, the programs as processes: PostgreSQL 15 ({@code wal_level=logical}, the Onyx
 * fixture, a writer running from before the slot until the freeze) followed into the target major through an S3
 * server. check-lag refuses while apply is stopped and behind, and passes once it caught up; after the freeze, drain
 * writes the marker with the sequences and carries the large objects changed during the follow, capture and apply end
 * at it, apply sets the sequences, imports the large objects and proves the final state; every table then equals the source row by row (an independent compare), a nextval on the target does not
 * collide, and a touched row changed on the target makes the proof fail naming its table and key.
 */
abstract class FollowCutoverScenario extends CutoverProcesses {

    /** The Onyx fixture's large objects have oids from here; one made during the follow gets a lower one. */
    static final int FIXTURE_OIDS = 700000;

    abstract PgMajor targetMajor();

    @Test
    void check_lag_then_drain_then_apply_sets_the_sequences_and_proves_the_final_state() throws Exception {
        try (FollowServers servers = FollowServers.start(PgMajor.EXTRA, targetMajor(), DATABASE, BUCKET)) {
            PostgresServer source = servers.source();
            PostgresServer target = servers.target();
            target.createDatabase(DATABASE);
            FollowRig rig = new FollowRig(servers.s3(), BUCKET, "onyx", "onyx-cutover-it", DATABASE, work);
            try (Connection c = source.connect(DATABASE)) {
                ReplicaIdentities.set(c, TableKeys.read(c));
                FollowSlot.createPublication(c, FollowRig.PUBLICATION);
            }
            ProgramRunner.Running capture;
            ProgramRunner.Running apply;
            try (OnyxWriter writer = OnyxWriter.start(source, DATABASE)) {
                writer.awaitTransactions(20, PATIENCE);
                try (Connection replication = FollowSlot.replicationConnection(
                        source.jdbcUrl(DATABASE), source.superuser(), source.superuserPassword(), "ferry-cutover-it")) {
                    String snapshot =
                            FollowSlot.create(replication, FollowRig.SLOT).snapshot();
                    SnapshotCopy.copy(source, target, DATABASE, snapshot, work.resolve("base.pgdump"));
                }
                // A drain while no capture streams the slot writes no marker: one no capture reads would stop a later
                // capture early (the follow below would then end before its real drain).
                ProgramRunner.Outcome early = cutover(rig, source, Map.of("FERRY_FOLLOW_CUTOVER_ACTION", "drain"));
                assertThat(early.exitCode()).as(early.output()).isEqualTo(3);
                assertThat(early.output())
                        .contains("the drain needs a running capture to store its marker, and wrote none: replication"
                                + " slot \"" + FollowRig.SLOT + "\" is not active: no capture streams it");
                capture = start(CAPTURE, rig.captureSettings(source));
                apply = start(APPLY, rig.applySettings(target));
                apply.awaitWhileRunning(
                        "apply reported the target's large objects",
                        () -> rig.object("target-large-objects.json").isPresent(),
                        PATIENCE);
                // Files Onyx stores as large objects during the follow: one new, one rewritten, one removed.
                try (Connection c = source.connect(DATABASE);
                        Statement sql = c.createStatement()) {
                    sql.execute("SELECT lo_from_bytea(0, convert_to('a file stored during the follow', 'UTF8'))");
                    sql.execute("SELECT lo_put(min(oid), 0, convert_to('rewritten', 'UTF8'))"
                            + " FROM pg_largeobject_metadata WHERE oid >= " + FIXTURE_OIDS);
                    sql.execute("SELECT lo_unlink(max(oid)) FROM pg_largeobject_metadata WHERE oid >= " + FIXTURE_OIDS);
                }
                apply.awaitWhileRunning(
                        "apply reported progress", () -> json(rig, "apply-progress.json") != null, PATIENCE);

                // Apply stopped while Onyx writes on: it falls behind, and the cutover must not freeze.
                apply.kill();
                apply.await(PATIENCE);
                long appliedAt = lsn(json(rig, "apply-progress.json"), "appliedUpTo");
                capture.awaitWhileRunning(
                        "capture stored 16 KiB past what apply applied",
                        () -> lsn(json(rig, "capture-heartbeat.json"), "storedUpTo") - appliedAt > 16 * 1024,
                        PATIENCE);
                ProgramRunner.Outcome refused = cutover(
                        rig,
                        source,
                        Map.of(
                                "FERRY_FOLLOW_CUTOVER_MAX_LAG", "8K",
                                "FERRY_FOLLOW_CUTOVER_MAX_REPORT_AGE", "10m"));
                assertThat(refused.exitCode()).as(refused.output()).isEqualTo(3);
                assertThat(refused.output())
                        .contains("not ready to freeze: apply is")
                        .contains("more than FERRY_FOLLOW_CUTOVER_MAX_LAG (8.0KiB)");

                // Apply again: it catches up, and check-lag lets the cutover freeze.
                long storedWhenRestarted = lsn(json(rig, "capture-heartbeat.json"), "storedUpTo");
                apply = start(APPLY, rig.applySettings(target));
                apply.awaitWhileRunning(
                        "apply caught up",
                        () -> lsn(json(rig, "apply-progress.json"), "appliedUpTo") >= storedWhenRestarted,
                        PATIENCE);
                ProgramRunner.Outcome ready = cutover(rig, source, Map.of());
                assertThat(ready.exitCode()).as(ready.output()).isZero();
                assertThat(ready.output()).contains("predicted_drain=").contains("step=follow-cutover outcome=done");
            } // the writer stops: the freeze

            ProgramRunner.Outcome drained = cutover(rig, source, Map.of("FERRY_FOLLOW_CUTOVER_ACTION", "drain"));
            assertThat(drained.exitCode()).as(drained.output()).isZero();
            assertThat(drained.output())
                    .contains("phase=commit marker=cutover writes_after_marker=0")
                    .contains("phase=final-state")
                    .contains("marker=cutover")
                    .containsPattern("touched_rows=[1-9]")
                    .contains("large_objects_carried=2 large_objects_removed=1");
            ProgramRunner.Outcome captured = capture.await(PATIENCE);
            assertThat(captured.exitCode()).as(captured.output()).isZero();
            assertThat(captured.output())
                    .contains("marker=cutover")
                    // A base copy Ferry did not dump has no manifest to take the snapshot's rows from.
                    .contains("phase=snapshot-rows source=none")
                    .containsPattern("tables_counted=[1-9]")
                    .contains("phase=final-state")
                    .contains("large_objects_carried=2 large_objects_removed=1");
            // The drain run again (a retried TaskRun): capture already drained at the marker, so no second one.
            ProgramRunner.Outcome again = cutover(rig, source, Map.of("FERRY_FOLLOW_CUTOVER_ACTION", "drain"));
            assertThat(again.exitCode()).as(again.output()).isZero();
            assertThat(again.output()).contains("written=earlier").containsPattern("touched_rows=[1-9]");
            ProgramRunner.Outcome applied = apply.await(PATIENCE);
            assertThat(applied.exitCode()).as(applied.output()).isZero();
            assertThat(applied.output())
                    .contains("phase=prove verdict=passed")
                    .contains("marker=cutover")
                    .contains("phase=commit marker=cutover");

            // A drain that never committed (it failed or was cancelled after its marker, and the old writers came
            // back): apply proves, and still does not end with 0, which would let the new cluster scale up.
            servers.s3().client().deleteObject(b -> b.bucket(BUCKET).key(rig.folder() + "cutover-committed.json"));
            Map<String, String> shortWait = rig.applySettings(target);
            shortWait.put("FERRY_FOLLOW_APPLY_FINAL_STATE_TIMEOUT", "2s");
            ProgramRunner.Outcome uncommitted = start(APPLY, shortWait).await(PATIENCE);
            assertThat(uncommitted.exitCode()).as(uncommitted.output()).isEqualTo(5);
            assertThat(uncommitted.output())
                    .contains("phase=prove verdict=passed")
                    .contains("the cutover at drain marker cutover was not committed on the old cluster");
            // The old writers came back: a drain run again finds their write after the marker and commits nothing.
            try (Connection c = source.connect(DATABASE);
                    Statement sql = c.createStatement()) {
                sql.execute("INSERT INTO public.key_value_store (key, value) VALUES ('after-the-marker', '\"1\"')");
            }
            ProgramRunner.Outcome lost = cutover(rig, source, Map.of("FERRY_FOLLOW_CUTOVER_ACTION", "drain"));
            assertThat(lost.exitCode()).as(lost.output()).isEqualTo(3);
            assertThat(lost.output())
                    .contains("the source took writes after drain marker cutover (to [public.key_value_store])")
                    .contains("the cutover is not committed");
            assertThat(rig.object("cutover-committed.json")).isEmpty();
            try (Connection c = source.connect(DATABASE);
                    Statement sql = c.createStatement()) {
                sql.execute("DELETE FROM public.key_value_store WHERE key = 'after-the-marker'");
            }

            assertThat(TableRows.userTables(source, DATABASE))
                    .contains("public.chat_message", "public.key_value_store");
            assertThat(rig.tablesThatDiffer(source, target))
                    .as("tables whose rows differ, row by row")
                    .isEmpty();
            assertThat(sequences(target)).isEqualTo(sequences(source)).isNotEmpty();
            assertThat(largeObjects(target))
                    .as("every large object, by oid and the md5 of its bytes")
                    .isEqualTo(largeObjects(source))
                    .hasSizeGreaterThan(2);
            assertThat(single(target, "SELECT nextval('public.chat_message_id_seq')"))
                    .as("the target's next id after the cutover")
                    .isGreaterThan(single(source, "SELECT max(id) FROM public.chat_message"));

            // A touched row changed on the target before the proof: apply, run again, proves again and fails.
            FinalState state = JsonCodec.fromBytes(
                    rig.object("final-state.json").orElseThrow(), FinalState.class, "final-state.json");
            String touched = state.tables().stream()
                    .filter(t -> t.qualifiedName().equals("public.chat_message"))
                    .flatMap(t -> t.touched().stream())
                    .filter(row -> row.digest() != null)
                    .map(row -> row.key().get(0))
                    .findFirst()
                    .orElseThrow();
            try (Connection c = target.connect(DATABASE);
                    Statement sql = c.createStatement()) {
                sql.execute("UPDATE public.chat_message SET token_count = token_count + 1000 WHERE id = " + touched);
            }
            ProgramRunner.Outcome disproved =
                    start(APPLY, rig.applySettings(target)).await(PATIENCE);
            assertThat(disproved.exitCode()).as(disproved.output()).isEqualTo(4);
            assertThat(disproved.output())
                    .contains("the target does not match the frozen source at drain marker cutover")
                    .contains("table public.chat_message key (id)=(" + touched + ") differs");
        }
    }

    static Map<Long, String> largeObjects(PostgresServer server) throws SQLException {
        Map<Long, String> objects = new TreeMap<>();
        try (Connection c = server.connect(DATABASE);
                Statement sql = c.createStatement();
                ResultSet rs = sql.executeQuery("SELECT oid::bigint, md5(lo_get(oid)) FROM pg_largeobject_metadata")) {
            while (rs.next()) {
                objects.put(rs.getLong(1), rs.getString(2));
            }
        }
        return objects;
    }
}
