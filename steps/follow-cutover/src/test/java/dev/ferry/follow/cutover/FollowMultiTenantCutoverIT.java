package dev.ferry.follow.cutover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.workspace.JsonCodec;
import dev.ferry.follow.bucket.FinalState;
import dev.ferry.testing.ProgramRunner;
import dev.ferry.testing.follow.FollowRig;
import dev.ferry.testing.follow.FollowServers;
import dev.ferry.testing.pg.OnyxFixture;
import dev.ferry.testing.pg.OnyxWriter;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import dev.ferry.testing.pg.TableRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A multi-tenant Onyx (a {@code tenant_<uuid>} schema per tenant, {@code public.user_tenant_mapping} keyed only by
 * unique constraints, as is every tenant's {@code chat_message}) followed from PostgreSQL 15 into 18, end to end with
 * the programs as processes and the source reached only as the database's owner, not a superuser (so the publication
 * lists the tables one by one): dump in follow mode takes the base copy, upload, download and restore carry it, capture
 * and apply follow while a writer changes chat history in both tenants and adds, moves, renames and removes tenant
 * mappings; check-lag, the freeze, drain, apply's proof, and follow-abandon's clean-up after the cutover. Afterwards
 * every table of every schema equals the source row by row (independently of Ferry), every sequence too, the replica
 * identities are as before the follow and no slot or publication is left.
 */
class FollowMultiTenantCutoverIT extends CutoverProcesses {

    static final Path DUMP = program("dump");
    static final Path UPLOAD = program("upload");
    static final Path DOWNLOAD = program("download");
    static final Path RESTORE = program("restore");
    static final Path ABANDON = program("follow-abandon");

    /** The role Onyx's database belongs to: it may replicate, but it is no superuser. */
    static final String OWNER = "onyx_owner";

    static final String OWNER_PASSWORD = "owner-Pass-1";

    @Test
    void a_multi_tenant_onyx_followed_as_its_owner_ends_equal_row_by_row_and_leaves_the_source_as_it_was()
            throws Exception {
        OnyxFixture fixture = OnyxFixture.multiTenant();
        try (FollowServers servers = FollowServers.withoutDatabase(PgMajor.EXTRA, PgMajor.NEWEST, BUCKET)) {
            PostgresServer source = servers.source();
            PostgresServer target = servers.target();
            installOwnedBy(source, fixture);
            // The target cluster has the roles the database's objects belong to, as its operator creates them.
            target.createLoginRole(OWNER, OWNER_PASSWORD);
            target.createLoginRole(OnyxFixture.READONLY_ROLE, OnyxFixture.READONLY_PASSWORD);
            Map<String, String> identitiesBefore;
            try (Connection c = source.connect(DATABASE)) {
                identitiesBefore = TableRows.replicaIdentities(c);
            }
            FollowRig rig = new FollowRig(servers.s3(), BUCKET, "onyx", "onyx-multi-tenant-it", DATABASE, work);

            ProgramRunner.Running capture;
            ProgramRunner.Running apply;
            try (OnyxWriter writer = OnyxWriter.startMultiTenant(source, DATABASE)) {
                writer.awaitTransactions(20, PATIENCE);
                ProgramRunner.Outcome dumped =
                        run(DUMP, onSource(rig, source, "old-side", Map.of("FERRY_DUMP_FOLLOW", "true")));
                assertThat(dumped.exitCode()).as(dumped.output()).isZero();
                assertThat(dumped.output())
                        .contains("publishes=tables-now-present")
                        .contains("replica_identities_set=3")
                        .contains("step=dump outcome=done");
                assertSucceeded(run(UPLOAD, onSource(rig, source, "old-side", Map.of())));
                assertSucceeded(run(DOWNLOAD, side(rig.settings(target, "download-results"), "new-side")));
                assertSucceeded(run(RESTORE, side(rig.settings(target, "restore-results"), "new-side")));

                capture = start(CAPTURE, asOwner(rig.captureSettings(source)));
                apply = start(APPLY, rig.applySettings(target));
                long written = writer.transactions();
                writer.awaitTransactions(written + 60, PATIENCE);
                long storedThen = lsn(awaitJson(capture, rig, "capture-heartbeat.json"), "storedUpTo");
                apply.awaitWhileRunning(
                        "apply caught up with the writes in both tenants",
                        () -> {
                            JsonNode progress = json(rig, "apply-progress.json");
                            return progress != null && lsn(progress, "appliedUpTo") >= storedThen;
                        },
                        PATIENCE);
                ProgramRunner.Outcome ready = cutover(rig, source, owner());
                assertThat(ready.exitCode()).as(ready.output()).isZero();
                assertThat(ready.output()).contains("step=follow-cutover outcome=done");
            } // the writer stops: the freeze

            Map<String, String> drain = owner();
            drain.put("FERRY_FOLLOW_CUTOVER_ACTION", "drain");
            ProgramRunner.Outcome drained = cutover(rig, source, drain);
            assertThat(drained.exitCode()).as(drained.output()).isZero();
            assertThat(drained.output()).contains("marker=cutover").containsPattern("touched_rows=[1-9]");
            ProgramRunner.Outcome captured = capture.await(PATIENCE);
            assertThat(captured.exitCode()).as(captured.output()).isZero();
            // The base copy's manifest gives every table's rows at the snapshot: the frozen source is not counted.
            assertThat(captured.output())
                    .contains("phase=snapshot-rows source=manifest")
                    .contains("tables_counted=0");
            ProgramRunner.Outcome applied = apply.await(PATIENCE);
            assertThat(applied.exitCode()).as(applied.output()).isZero();
            assertThat(applied.output())
                    .contains("phase=prove verdict=passed")
                    .contains("marker=cutover")
                    .contains("tables_counted=0");
            FinalState state = JsonCodec.fromBytes(
                    rig.object("final-state.json").orElseThrow(), FinalState.class, "final-state.json");
            assertThat(state.tables())
                    .allSatisfy(table -> assertThat(table.rowsFrom()).isEqualTo(FinalState.ROWS_FROM_CHANGES));
            for (FinalState.TableState table : state.tables()) {
                assertThat(table.rows())
                        .as(
                                "%s: the snapshot's rows and the changes since, against count(*) of the frozen source",
                                table.qualifiedName())
                        .isEqualTo(single(
                                source,
                                "SELECT count(*) FROM " + PostgresServer.quote(table.schema()) + "."
                                        + PostgresServer.quote(table.name())));
            }
            assertThat(state.tables().stream().filter(t -> !t.touched().isEmpty()))
                    .as("tables the writer changed")
                    .hasSizeGreaterThan(2);

            Map<String, String> cleanUp = asOwner(rig.settings(source, "abandon-results"));
            cleanUp.put("FERRY_FOLLOW_ABANDON_REASON", "finished");
            ProgramRunner.Outcome finished = run(ABANDON, cleanUp);
            assertThat(finished.exitCode()).as(finished.output()).isZero();
            assertThat(finished.output()).contains("reason=finished").contains("removed=slot-and-publication");

            List<String> tables = TableRows.userTables(source, DATABASE);
            assertThat(tables).contains("public.user_tenant_mapping");
            for (String tenant : OnyxFixture.TENANT_SCHEMAS) {
                assertThat(tables).contains(PostgresServer.quote(tenant) + ".chat_message");
            }
            assertThat(single(
                            source,
                            "SELECT count(*) FROM public.user_tenant_mapping"
                                    + " WHERE email LIKE 'moved%' OR email LIKE 'signup%'"))
                    .as("the writer's tenant mappings on the source")
                    .isPositive();
            assertThat(TableRows.differing(source, target, DATABASE))
                    .as("tables whose rows on the target differ from the source's, row by row")
                    .isEmpty();
            assertThat(sequences(target))
                    .as("every sequence of every schema")
                    .isEqualTo(sequences(source))
                    .containsKey(OnyxFixture.TENANT_SCHEMAS.get(1) + ".chat_message_id_seq");
            try (Connection c = source.connect(DATABASE);
                    Statement sql = c.createStatement()) {
                assertThat(TableRows.replicaIdentities(c))
                        .as("every replica identity as it was before the follow")
                        .isEqualTo(identitiesBefore)
                        .containsEntry("public.user_tenant_mapping", "d");
                assertThat(count(sql, "SELECT count(*) FROM pg_replication_slots"))
                        .as("slots")
                        .isZero();
                assertThat(count(sql, "SELECT count(*) FROM pg_publication"))
                        .as("publications")
                        .isZero();
            }
        }
    }

    /**
     * The multi-tenant fixture in a database {@link #OWNER} owns and installed as it, keyed as Onyx keys it: the
     * owner may replicate and create roles (Onyx's read-only role), nothing more.
     */
    static void installOwnedBy(PostgresServer source, OnyxFixture fixture) throws SQLException {
        source.createLoginRole(OWNER, OWNER_PASSWORD, "REPLICATION CREATEROLE");
        try (Connection admin = source.connect("postgres");
                Statement sql = admin.createStatement()) {
            sql.execute("CREATE DATABASE " + DATABASE + " OWNER " + OWNER + " TEMPLATE template0");
        }
        try (Connection owner = source.connect(DATABASE, OWNER, OWNER_PASSWORD)) {
            fixture.install(owner);
            fixture.keyAsOnyxDoes(owner);
        }
    }

    ProgramRunner.Outcome run(Path program, Map<String, String> settings) {
        return start(program, settings).await(PATIENCE.multipliedBy(2));
    }

    static void assertSucceeded(ProgramRunner.Outcome outcome) {
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
    }

    /** A program on the old side as the owner, its workspace {@code folder}. */
    Map<String, String> onSource(FollowRig rig, PostgresServer source, String folder, Map<String, String> extra) {
        Map<String, String> settings = side(asOwner(rig.settings(source, folder + "-results")), folder);
        settings.put("FERRY_DUMP_GLOBALS", "false");
        settings.putAll(extra);
        return settings;
    }

    /** {@code settings} with the workspace in {@code folder}: each side of the base copy has its own. */
    Map<String, String> side(Map<String, String> settings, String folder) {
        settings.put("FERRY_WORKDIR", work.resolve(folder).toString());
        return settings;
    }

    static Map<String, String> asOwner(Map<String, String> settings) {
        settings.putAll(owner());
        return settings;
    }

    static Map<String, String> owner() {
        Map<String, String> owner = new HashMap<>();
        owner.put("POSTGRES_USER", OWNER);
        owner.put("POSTGRES_PASSWORD", OWNER_PASSWORD);
        return owner;
    }

    static JsonNode awaitJson(ProgramRunner.Running running, FollowRig rig, String name) throws InterruptedException {
        running.awaitWhileRunning(name + " in the bucket", () -> json(rig, name) != null, PATIENCE);
        return json(rig, name);
    }

    static long count(Statement sql, String query) throws SQLException {
        try (var rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
