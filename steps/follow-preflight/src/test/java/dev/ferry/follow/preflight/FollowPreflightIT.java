package dev.ferry.follow.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.workspace.JsonCodec;
import dev.ferry.testing.StepProgram;
import dev.ferry.testing.StepRun;
import dev.ferry.testing.pg.OnyxFixture;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The preflight program run as a process against a real PostgreSQL 17 with {@code wal_level=logical} and a WAL
 * cap, holding the Onyx fixture with {@code chat_message} as Onyx has it (only {@code UNIQUE (id)}): ready with
 * the replica identity it would set, and refusing, each with its fix and all of them listed, a table without a
 * usable key, a role without the rights, and a write transaction older than the limit.
 */
class FollowPreflightIT {

    static final Path PROGRAM = Path.of("target", "quarkus-app", "quarkus-run.jar");
    static final String APP_ROLE = "onyx_app";
    static final String APP_PASSWORD = "app-pass-1";
    static PostgresServer source;

    @TempDir
    Path workdir;

    @BeforeAll
    static void start() throws Exception {
        source = PostgresServer.start(PgMajor.LATEST, Map.of("wal_level", "logical", "max_slot_wal_keep_size", "1GB"));
        OnyxFixture.singleTenant().installInto(source, "onyx");
        execute(
                "onyx",
                "ALTER TABLE public.chat_message DROP CONSTRAINT chat_message_pkey,"
                        + " ADD CONSTRAINT chat_message_id_key UNIQUE (id)");
        source.createLoginRole(APP_ROLE, APP_PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
    }

    @Test
    void a_logical_source_with_every_prerequisite_is_ready_and_names_the_replica_identity_it_will_set()
            throws Exception {
        Map<String, String> env = env(PostgresServer.SUPERUSER, source.superuserPassword());
        env.put("FERRY_FOLLOW_PREFLIGHT_VOLUME_SIZE", "100Gi");
        env.put("FERRY_FOLLOW_PREFLIGHT_TARGET_HOST", "localhost");
        env.put("FERRY_FOLLOW_PREFLIGHT_TARGET_PORT", Integer.toString(source.port()));

        StepRun run = StepProgram.at(PROGRAM).run(env);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.output())
                .contains("check=wal_level verdict=ok: wal_level is logical")
                .contains("check=wal_cap verdict=ok: max_slot_wal_keep_size is 1.0GiB")
                .contains("check=free_space verdict=ok: room for the capped WAL: volume 100.0GiB")
                .contains("check=role verdict=ok: role \"postgres\" is a superuser")
                .contains("check=replication_connection verdict=ok: a replication connection as \"postgres\" works:"
                        + " the WAL sender of system ")
                .contains("check=replica_identity verdict=warning: table public.chat_message has no primary key:"
                        + " a follow sets REPLICA IDENTITY USING INDEX chat_message_id_key (id)")
                .contains("check=large_objects verdict=warning: ")
                .contains("large objects are not decoded")
                .contains("check=target verdict=ok: the target localhost:" + source.port()
                        + "/onyx runs PostgreSQL 17, the source 17");
        assertThat(run.output()).doesNotContain("verdict=refused");
        assertThat(lastLine(run))
                .contains("step=follow-preflight outcome=done")
                .contains("ready=true")
                .contains("replica_identity=public.chat_message");
        assertThat(result("ready")).isEqualTo("true");
        assertThat(result("refusals")).isEqualTo("0");
        assertThat(result("replica-identity-tables")).isEqualTo("1");
        JsonNode report = JsonCodec.mapper()
                .readTree(workdir.resolve("report/follow-preflight.json").toFile());
        assertThat(report.path("ready").asBoolean()).isTrue();
        assertThat(report.path("replicaIdentitiesToSet").get(0).path("table").asText())
                .isEqualTo("public.chat_message");
        assertThat(report.path("replicaIdentitiesToSet")
                        .get(0)
                        .path("columns")
                        .get(0)
                        .asText())
                .isEqualTo("id");
        assertThat(report.path("largeObjects").path("count").asLong()).isPositive();
        assertThat(replicaIdentity("public.chat_message"))
                .as("the preflight is read-only: it set no replica identity")
                .isEqualTo("d");
    }

    @Test
    void a_table_without_a_usable_key_is_refused_by_name_and_every_one_is_listed() throws Exception {
        execute(
                "onyx",
                "CREATE TABLE public.audit_note (id integer, body text);"
                        + " CREATE TABLE public.nullable_code (code text UNIQUE, body text);"
                        + " CREATE TABLE public.partly_unique (id integer NOT NULL, live boolean);"
                        + " CREATE UNIQUE INDEX partly_unique_live ON public.partly_unique (id) WHERE live;"
                        + " CREATE TABLE public.deferred_unique (id integer NOT NULL"
                        + " UNIQUE DEFERRABLE INITIALLY DEFERRED)");
        try {
            StepRun run = StepProgram.at(PROGRAM).run(env(PostgresServer.SUPERUSER, source.superuserPassword()));

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
            for (String table : List.of(
                    "public.audit_note", "public.nullable_code", "public.partly_unique", "public.deferred_unique")) {
                assertThat(run.output())
                        .contains("check=table_keys verdict=refused: table " + table
                                + " has no primary key and no usable unique index")
                        .contains("ALTER TABLE " + table + " ADD PRIMARY KEY");
            }
            assertThat(run.output()).contains("check=replica_identity verdict=warning: table public.chat_message");
            assertThat(lastLine(run))
                    .contains("step=follow-preflight outcome=failed exit=3 (refused by a safety precondition):"
                            + " 4 follow prerequisite(s) missing (table_keys)")
                    .contains("report/follow-preflight.json");
            assertThat(result("ready")).isEqualTo("false");
            assertThat(result("refusals")).isEqualTo("4");
        } finally {
            execute(
                    "onyx",
                    "DROP TABLE public.audit_note, public.nullable_code, public.partly_unique,"
                            + " public.deferred_unique");
        }
    }

    @Test
    void tenant_schemas_warn_that_tenant_provisioning_must_pause_for_the_follow() throws Exception {
        execute("onyx", "CREATE SCHEMA tenant_0f4c2a; CREATE TABLE tenant_0f4c2a.document (id integer PRIMARY KEY)");
        try {
            StepRun run = StepProgram.at(PROGRAM).run(env(PostgresServer.SUPERUSER, source.superuserPassword()));

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.output())
                    .contains("check=new_tables verdict=warning: 1 tenant schema(s) (Onyx multi-tenant): a tenant"
                            + " created during the follow adds tables that join the follow's FOR ALL TABLES"
                            + " publication at once")
                    .contains("pause tenant provisioning for the days of the follow");
        } finally {
            execute("onyx", "DROP SCHEMA tenant_0f4c2a CASCADE");
        }
    }

    @Test
    void a_role_without_replication_is_refused_naming_each_right_to_grant() throws Exception {
        StepRun run = StepProgram.at(PROGRAM).run(env(APP_ROLE, APP_PASSWORD));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.output())
                .contains("check=role verdict=refused: role \"onyx_app\" may not create a replication slot:"
                        + " grant it the REPLICATION attribute as a superuser (ALTER ROLE \"onyx_app\" REPLICATION)")
                .contains("check=role verdict=refused: role \"onyx_app\" may not create the publication:"
                        + " GRANT CREATE ON DATABASE \"onyx\" TO \"onyx_app\"")
                .contains("check=role verdict=refused: role \"onyx_app\" does not own ")
                .contains("GRANT \"postgres\" TO \"onyx_app\"")
                .contains("check=write_transactions verdict=warning: only this role's own sessions were seen")
                .contains("WAL not counted (pg_ls_waldir needs a superuser or pg_monitor)");
        assertThat(run.output())
                .as("no replication connection is tried without REPLICATION")
                .doesNotContain("check=replication_connection");
        assertThat(lastLine(run)).contains("outcome=failed exit=3").contains("(role)");
    }

    @Test
    void an_open_write_transaction_is_listed_and_refused_once_older_than_the_limit() throws Exception {
        Properties login = new Properties();
        login.setProperty("user", PostgresServer.SUPERUSER);
        login.setProperty("password", source.superuserPassword());
        login.setProperty("ApplicationName", "celery_worker_heavy");
        try (Connection writer = DriverManager.getConnection(source.jdbcUrl("onyx"), login);
                Statement sql = writer.createStatement()) {
            writer.setAutoCommit(false);
            sql.execute("INSERT INTO public.key_value_store (key, value) VALUES ('preflight', '{}')");
            int pid;
            try (ResultSet rs = sql.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            Map<String, String> env = env(PostgresServer.SUPERUSER, source.superuserPassword());

            StepRun young = StepProgram.at(PROGRAM).run(env);
            env.put("FERRY_FOLLOW_PREFLIGHT_MAX_TRANSACTION_AGE", "PT0.001S");
            StepRun old = StepProgram.at(PROGRAM).run(env);
            writer.rollback();

            assertThat(young.exitCode()).as(young.toString()).isZero();
            assertThat(young.output())
                    .contains("check=write_transactions verdict=ok: 1 write transaction(s) running, the oldest pid "
                            + pid + " (postgres, application celery_worker_heavy) for ");
            assertThat(old.exitCode()).as(old.toString()).isEqualTo(3);
            assertThat(old.output())
                    .contains("check=write_transactions verdict=refused: 1 write transaction(s) older than 0.0s"
                            + " (FERRY_FOLLOW_PREFLIGHT_MAX_TRANSACTION_AGE): pid " + pid
                            + " (postgres, application celery_worker_heavy) for ")
                    .contains("SELECT pg_terminate_backend(<pid>)");
            assertThat(lastLine(old)).contains("outcome=failed exit=3").contains("(write_transactions)");
        }
    }

    Map<String, String> env(String user, String password) {
        Map<String, String> env = new HashMap<>();
        env.put("POSTGRES_HOST", "localhost");
        env.put("POSTGRES_PORT", Integer.toString(source.port()));
        env.put("POSTGRES_DB", "onyx");
        env.put("POSTGRES_USER", user);
        env.put("POSTGRES_PASSWORD", password);
        env.put("FERRY_WORKDIR", workdir.toString());
        env.put("FERRY_RESULTS_DIR", workdir.resolve("results").toString());
        return env;
    }

    String result(String name) throws Exception {
        return Files.readString(workdir.resolve("results").resolve(name));
    }

    static String lastLine(StepRun run) {
        List<String> lines = run.output().lines().filter(l -> !l.isBlank()).toList();
        return lines.get(lines.size() - 1);
    }

    static void execute(String database, String statements) throws Exception {
        try (Connection c = source.connect(database);
                Statement sql = c.createStatement()) {
            sql.execute(statements);
        }
    }

    static String replicaIdentity(String table) throws Exception {
        try (Connection c = source.connect("onyx");
                Statement sql = c.createStatement();
                ResultSet rs =
                        sql.executeQuery("SELECT relreplident FROM pg_class WHERE oid = '" + table + "'::regclass")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
