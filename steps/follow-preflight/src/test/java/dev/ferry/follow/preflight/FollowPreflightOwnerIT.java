package dev.ferry.follow.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.StepProgram;
import dev.ferry.testing.StepRun;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL 14 (the oldest major Ferry supports), followed by the application role itself, no superuser: with
 * REPLICATION and owning its database and tables it is ready; a table of its own without a key is still refused.
 */
class FollowPreflightOwnerIT {

    static final String OWNER = "onyx_owner";
    static final String PASSWORD = "owner-pass-1";
    static PostgresServer source;

    @TempDir
    Path workdir;

    @BeforeAll
    static void start() throws Exception {
        source = PostgresServer.start(PgMajor.SOURCE, Map.of("wal_level", "logical", "max_slot_wal_keep_size", "2GB"));
        source.createLoginRole(OWNER, PASSWORD, "REPLICATION");
        try (Connection admin = source.connect("postgres");
                Statement sql = admin.createStatement()) {
            sql.execute("CREATE DATABASE onyx OWNER " + OWNER + " TEMPLATE template0");
        }
        try (Connection c = source.connect("onyx", OWNER, PASSWORD);
                Statement sql = c.createStatement()) {
            sql.execute("CREATE TABLE public.chat_session (id uuid PRIMARY KEY, description text);"
                    + " CREATE TABLE public.user_tenant_mapping (email varchar NOT NULL, tenant_id varchar NOT NULL,"
                    + " CONSTRAINT uq_user_tenant UNIQUE (email, tenant_id))");
        }
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
    }

    @Test
    void the_owner_with_replication_is_ready_and_a_keyless_table_of_its_own_is_refused() throws Exception {
        Map<String, String> env = Map.of(
                "POSTGRES_HOST",
                "localhost",
                "POSTGRES_PORT",
                Integer.toString(source.port()),
                "POSTGRES_DB",
                "onyx",
                "POSTGRES_USER",
                OWNER,
                "POSTGRES_PASSWORD",
                PASSWORD,
                "FERRY_WORKDIR",
                workdir.toString(),
                "FERRY_RESULTS_DIR",
                workdir.resolve("results").toString());

        StepRun ready = StepProgram.at(FollowPreflightIT.PROGRAM).run(env);

        assertThat(ready.exitCode()).as(ready.toString()).isZero();
        assertThat(ready.output())
                .contains("check=role verdict=ok: role \"onyx_owner\" has REPLICATION, may create a publication and"
                        + " owns every user table")
                .contains("check=replication_connection verdict=ok: a replication connection as \"onyx_owner\" works")
                .contains("check=replica_identity verdict=warning: table public.user_tenant_mapping has no primary"
                        + " key: a follow sets REPLICA IDENTITY USING INDEX uq_user_tenant (email, tenant_id)");
        assertThat(FollowPreflightIT.lastLine(ready)).contains("outcome=done").contains("ready=true");

        try (Connection c = source.connect("onyx", OWNER, PASSWORD);
                Statement sql = c.createStatement()) {
            sql.execute("CREATE TABLE public.audit_note (id integer, body text)");
        }
        StepRun refused = StepProgram.at(FollowPreflightIT.PROGRAM).run(env);

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(3);
        assertThat(refused.output())
                .contains("check=table_keys verdict=refused: table public.audit_note has no primary key and no usable"
                        + " unique index");
        assertThat(FollowPreflightIT.lastLine(refused)).contains("1 follow prerequisite(s) missing (table_keys)");
        assertThat(Files.readString(workdir.resolve("results/ready"))).isEqualTo("false");
    }
}
