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
 * A PostgreSQL 15 as {@code postgres:15.2-alpine} and the Bitnami chart run it, with their defaults
 * ({@code wal_level=replica}, no WAL cap): both refusals with their fixes, free space said to be unchecked, and
 * the outcome line last.
 */
class FollowPreflightReplicaIT {

    static PostgresServer source;

    @TempDir
    Path workdir;

    @BeforeAll
    static void start() throws Exception {
        source = PostgresServer.start(PgMajor.EXTRA);
        source.createDatabase("onyx");
        try (Connection c = source.connect("onyx");
                Statement sql = c.createStatement()) {
            sql.execute("CREATE TABLE public.chat_message (id serial UNIQUE, message text NOT NULL)");
        }
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
    }

    @Test
    void a_source_with_the_images_defaults_is_refused_naming_wal_level_and_the_wal_cap() throws Exception {
        StepRun run = StepProgram.at(FollowPreflightIT.PROGRAM)
                .run(Map.of(
                        "POSTGRES_HOST", "localhost",
                        "POSTGRES_PORT", Integer.toString(source.port()),
                        "POSTGRES_DB", "onyx",
                        "POSTGRES_USER", PostgresServer.SUPERUSER,
                        "POSTGRES_PASSWORD", source.superuserPassword(),
                        "FERRY_WORKDIR", workdir.toString(),
                        "FERRY_RESULTS_DIR", workdir.resolve("results").toString()));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.output())
                .contains("check=wal_level verdict=refused: wal_level is replica, logical decoding needs logical:"
                        + " set wal_level=logical and restart PostgreSQL ahead of the window")
                .contains("check=wal_cap verdict=refused: max_slot_wal_keep_size is -1 (unlimited)")
                .contains("ALTER SYSTEM SET max_slot_wal_keep_size = '2GB'; SELECT pg_reload_conf()")
                .contains("check=free_space verdict=warning: free space not checked: PostgreSQL cannot report its"
                        + " volume's free space; measured databases ")
                .contains("check=replica_identity verdict=warning: table public.chat_message has no primary key:"
                        + " a follow sets REPLICA IDENTITY USING INDEX chat_message_id_key (id)")
                .contains("check=large_objects verdict=ok");
        assertThat(FollowPreflightIT.lastLine(run))
                .contains("step=follow-preflight outcome=failed exit=3")
                .contains("2 follow prerequisite(s) missing (wal_level, wal_cap)");
        assertThat(Files.readString(workdir.resolve("results/ready"))).isEqualTo("false");
        assertThat(Files.readString(workdir.resolve("results/refusals"))).isEqualTo("2");
    }
}
