package dev.ferry.dump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.follow.FollowSlot;
import dev.ferry.follow.PublicationRecord;
import dev.ferry.follow.ReplicaIdentities;
import dev.ferry.testing.ProgramRunner;
import dev.ferry.testing.StepProgram;
import dev.ferry.testing.StepRun;
import dev.ferry.testing.pg.OnyxFixture;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.replication.LogSequenceNumber;

/**
 * Dump in follow mode, the program run as a process against PostgreSQL 15 with {@code wal_level=logical} and the Onyx
 * fixture whose {@code chat_message} has only {@code UNIQUE (id)}, as Onyx's has: the follow it starts (replica
 * identity, publication with its record, slot, manifest and results), and every refusal and failure leaving the source
 * as it was: a table without a key, a slot that exists, a pg_dump that fails or is stopped after the slot was created,
 * and a slot whose creation waits on a long write transaction.
 */
class DumpFollowIT {

    static final String DATABASE = "onyx";
    static final String SLOT = "ferry_follow";
    static final String PUBLICATION = "ferry_follow";

    static PostgresServer source;

    @TempDir
    Path workdir;

    @BeforeAll
    static void start() throws Exception {
        source = PostgresServer.start(PgMajor.EXTRA, Map.of("wal_level", "logical"));
        OnyxFixture.singleTenant().installInto(source, DATABASE);
        try (Connection c = source.connect(DATABASE)) {
            OnyxFixture.keyChatMessageAsOnyxDoes(c);
        }
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
    }

    /** Each test starts from a source no follow touched. */
    @BeforeEach
    void noFollow() throws SQLException {
        try (Connection c = source.connect(DATABASE)) {
            FollowSlot.drop(c, SLOT, PUBLICATION);
            try (Statement sql = c.createStatement()) {
                sql.execute("ALTER TABLE public.chat_message REPLICA IDENTITY DEFAULT");
            }
        }
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("POSTGRES_HOST", "localhost");
        env.put("POSTGRES_PORT", Integer.toString(source.port()));
        env.put("POSTGRES_DB", DATABASE);
        env.put("POSTGRES_USER", PostgresServer.SUPERUSER);
        env.put("POSTGRES_PASSWORD", source.superuserPassword());
        env.put("FERRY_WORKDIR", workdir.toString());
        env.put("FERRY_RESULTS_DIR", workdir.resolve("results").toString());
        env.put("FERRY_DUMP_FOLLOW", "true");
        env.put("FERRY_DUMP_GLOBALS", "false");
        return env;
    }

    static StepRun run(Map<String, String> env) {
        return StepProgram.at(DumpIT.PROGRAM).run(env, Duration.ofMinutes(2));
    }

    @Test
    void starts_the_follow_chat_message_keyed_by_its_unique_index_and_the_manifest_names_slot_and_start()
            throws Exception {
        StepRun outcome = run(env());

        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        assertThat(outcome.output())
                .contains("phase=follow-publication publication=ferry_follow publishes=all-tables"
                        + " replica_identities_set=1 tables=\"public.chat_message\"")
                .contains("phase=follow-slot slot=ferry_follow waiting=")
                .contains("phase=follow slot=ferry_follow publication=ferry_follow consistent_point=")
                .contains("step=dump outcome=done");
        Manifest manifest = Workspace.at(workdir).readManifest();
        Manifest.Follow follow = manifest.dump().follow();
        assertThat(follow.slot()).isEqualTo(SLOT);
        assertThat(follow.publication()).isEqualTo(PUBLICATION);
        assertThat(follow.snapshot())
                .as("the dump and the inventory read the slot's snapshot")
                .isEqualTo(manifest.dump().snapshot().id());
        assertThat(follow.replicaIdentities())
                .containsExactly(new Manifest.ReplicaIdentity("public.chat_message", "chat_message_id_key", "DEFAULT"));
        assertThat(Files.readString(workdir.resolve("results/follow-slot"))).isEqualTo(SLOT);
        assertThat(Files.readString(workdir.resolve("results/follow-start-lsn")))
                .isEqualTo(follow.consistentPoint());

        try (Connection c = source.connect(DATABASE)) {
            assertThat(slotConsistentPoint(c))
                    .as("the slot exists and starts where the manifest says")
                    .isEqualTo(
                            LogSequenceNumber.valueOf(follow.consistentPoint()).asLong());
            assertThat(replicaIdentity(c)).isEqualTo("i:chat_message_id_key");
            assertThat(PublicationRecord.read(c, PUBLICATION))
                    .as("the publication's comment records what to put back")
                    .contains(List.of(
                            new ReplicaIdentities.Changed("public.chat_message", "chat_message_id_key", "DEFAULT")));
            try (Statement sql = c.createStatement()) {
                sql.execute("UPDATE public.chat_message SET token_count = token_count + 1 WHERE id = 1");
            }
        }
    }

    @Test
    void a_role_that_owns_the_tables_publishes_them_one_by_one() throws Exception {
        source.createLoginRole("onyx_owner", "owner-pass-1", "REPLICATION CREATEROLE");
        try (Connection admin = source.connect("postgres");
                Statement sql = admin.createStatement()) {
            sql.execute("CREATE DATABASE onyx_owned OWNER onyx_owner TEMPLATE template0");
        }
        try (Connection owner = source.connect("onyx_owned", "onyx_owner", "owner-pass-1")) {
            OnyxFixture.multiTenant().install(owner);
        }
        Map<String, String> env = env();
        env.put("POSTGRES_DB", "onyx_owned");
        env.put("POSTGRES_USER", "onyx_owner");
        env.put("POSTGRES_PASSWORD", "owner-pass-1");

        StepRun outcome = run(env);

        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        assertThat(outcome.output()).contains("publishes=tables-now-present");
        try (Connection c = source.connect("onyx_owned");
                Statement sql = c.createStatement();
                ResultSet rs = sql.executeQuery("SELECT p.puballtables,"
                        + " (SELECT count(*) FROM pg_publication_tables t WHERE t.pubname = p.pubname),"
                        + " (SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema'))"
                        + " FROM pg_publication p WHERE p.pubname = '" + PUBLICATION + "'")) {
            assertThat(rs.next()).as("the publication").isTrue();
            assertThat(rs.getBoolean(1)).as("FOR ALL TABLES needs a superuser").isFalse();
            assertThat(rs.getLong(2))
                    .as("every user table published")
                    .isPositive()
                    .isEqualTo(rs.getLong(3));
            FollowSlot.drop(c, SLOT, PUBLICATION);
        }
    }

    @Test
    void a_table_without_a_key_is_refused_with_exit_3_before_anything_changes() throws Exception {
        try (Connection c = source.connect(DATABASE);
                Statement sql = c.createStatement()) {
            sql.execute("CREATE TABLE public.import_log (line text)");
        }
        StepRun outcome;
        try {
            outcome = run(env());
        } finally {
            try (Connection c = source.connect(DATABASE);
                    Statement sql = c.createStatement()) {
                sql.execute("DROP TABLE public.import_log");
            }
        }

        assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(3);
        assertThat(outcome.failureLine())
                .contains("table public.import_log has neither a primary key nor a usable unique index")
                .contains("add a primary key")
                .contains("nothing was changed");
        assertUntouched();
    }

    @Test
    void a_slot_that_exists_is_refused_with_exit_3_and_left_alone() throws Exception {
        try (Connection c = source.connect(DATABASE);
                Statement sql = c.createStatement()) {
            sql.execute("SELECT pg_create_logical_replication_slot('" + SLOT + "', 'pgoutput')");
        }

        StepRun outcome = run(env());

        assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(3);
        assertThat(outcome.failureLine())
                .contains("the replication slot ferry_follow exists on the source: a follow is already running;"
                        + " abandon it first");
        try (Connection c = source.connect(DATABASE)) {
            assertThat(FollowSlot.exists(c, SLOT))
                    .as("another follow's slot is never dropped")
                    .isTrue();
            assertThat(PublicationRecord.read(c, PUBLICATION)).isEmpty();
            assertThat(replicaIdentity(c)).isEqualTo("d");
        }
    }

    @Test
    void a_pg_dump_failing_after_the_slot_was_created_leaves_no_slot_no_publication_and_the_identity_back(
            @TempDir Path bin) throws Exception {
        Path wrapper = bin.resolve("pg_dump");
        Files.writeString(wrapper, """
                #!/bin/sh
                if [ "$1" = "--version" ]; then exec pg_dump --version; fi
                echo "pg_dump: error: connection to server lost" >&2
                exit 1
                """);
        wrapper.toFile().setExecutable(true);
        Map<String, String> env = env();
        env.put("FERRY_DUMP_PG_BIN_DIR", bin.toString());

        StepRun outcome = run(env);

        assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(1);
        assertThat(outcome.failureLine())
                .contains("pg_dump failed (exit 1): pg_dump: error: connection to server lost");
        assertThat(outcome.output())
                .contains("phase=follow-slot slot=ferry_follow consistent_point=")
                .contains("phase=follow-undo slot=ferry_follow publication=ferry_follow replica_identities_restored=1"
                        + " outcome=removed");
        assertUntouched();
        assertThat(workdir.resolve("manifest.json")).doesNotExist();
    }

    @Test
    void sigterm_during_pg_dump_removes_what_the_run_created(@TempDir Path bin) throws Exception {
        Path wrapper = bin.resolve("pg_dump");
        Files.writeString(wrapper, """
                #!/bin/sh
                if [ "$1" = "--version" ]; then exec pg_dump --version; fi
                sleep 120
                """);
        wrapper.toFile().setExecutable(true);
        Map<String, String> env = env();
        env.put("FERRY_DUMP_PG_BIN_DIR", bin.toString());
        env.put("FERRY_PROGRESS_INTERVAL", "1s");
        CountDownLatch dumping = new CountDownLatch(1);
        ProgramRunner.Running running = ProgramRunner.start(StepProgram.javaCommand(DumpIT.PROGRAM), env, line -> {
            if (line.contains("progress phase=dump")) {
                dumping.countDown();
            }
        });
        assertThat(dumping.await(2, TimeUnit.MINUTES)).as("pg_dump started").isTrue();
        try (Connection c = source.connect(DATABASE)) {
            assertThat(FollowSlot.exists(c, SLOT)).as("the slot while dumping").isTrue();
        }

        running.terminate();
        ProgramRunner.Outcome outcome = running.await(Duration.ofSeconds(30));

        assertThat(outcome.exitCode()).as(outcome.output()).isEqualTo(143);
        assertUntouched();
    }

    @Test
    void a_slot_waiting_longer_than_its_timeout_on_a_write_transaction_is_exit_5_and_removed() throws Exception {
        Map<String, String> env = env();
        env.put("FERRY_DUMP_FOLLOW_SLOT_TIMEOUT", "PT2S");
        StepRun outcome;
        // A write transaction open from before the slot's creation until after its timeout: the slot waits for it.
        try (Connection writer = source.connect(DATABASE);
                Statement sql = writer.createStatement()) {
            writer.setAutoCommit(false);
            sql.execute("INSERT INTO public.key_value_store (key, value) VALUES ('long-transaction', '{}')");
            outcome = run(env);
            writer.rollback();
        }

        assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(5);
        assertThat(outcome.failureLine())
                .contains(
                        "the replication slot ferry_follow was not created within FERRY_DUMP_FOLLOW_SLOT_TIMEOUT=PT2S")
                .contains("has been open")
                .contains("nothing of the follow was left behind");
        assertUntouched();
    }

    /** No slot, no publication, chat_message's replica identity as it was. */
    static void assertUntouched() throws SQLException {
        try (Connection c = source.connect(DATABASE)) {
            assertThat(FollowSlot.exists(c, SLOT)).as("slot left behind").isFalse();
            assertThat(PublicationRecord.read(c, PUBLICATION))
                    .as("publication left behind")
                    .isEmpty();
            assertThat(replicaIdentity(c)).as("chat_message's replica identity").isEqualTo("d");
        }
    }

    /** {@code d}, {@code n}, {@code f}, or {@code i:<index>}. */
    static String replicaIdentity(Connection c) throws SQLException {
        try (Statement sql = c.createStatement();
                ResultSet rs = sql.executeQuery("SELECT c.relreplident, (SELECT i.indexrelid::regclass::text"
                        + " FROM pg_index i WHERE i.indrelid = c.oid AND i.indisreplident)"
                        + " FROM pg_class c WHERE c.oid = 'public.chat_message'::regclass")) {
            rs.next();
            String kind = rs.getString(1);
            return "i".equals(kind) ? kind + ":" + rs.getString(2) : kind;
        }
    }

    static long slotConsistentPoint(Connection c) throws SQLException {
        try (PreparedStatement sql =
                c.prepareStatement("SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?")) {
            sql.setString(1, SLOT);
            try (ResultSet rs = sql.executeQuery()) {
                assertThat(rs.next()).as("slot " + SLOT).isTrue();
                return LogSequenceNumber.valueOf(rs.getString(1)).asLong();
            }
        }
    }
}
