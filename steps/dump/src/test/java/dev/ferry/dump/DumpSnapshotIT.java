package dev.ferry.dump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.testing.StepProgram;
import dev.ferry.testing.StepRun;
import dev.ferry.testing.pg.OnyxFixture;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dump and its inventory read one exported snapshot, with a real writer inserting into the source
 * while the dump program runs: the manifest's counts are exactly what the dump holds (restored and
 * counted), and the writes after the snapshot are found, a warning without a freeze and exit 4 after one.
 */
class DumpSnapshotIT {

    static PostgresServer source;

    @TempDir
    Path workdir;

    @BeforeAll
    static void start() throws Exception {
        source = PostgresServer.start(PgMajor.SOURCE);
        OnyxFixture.singleTenant().installInto(source, "onyx");
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("POSTGRES_HOST", "localhost");
        env.put("POSTGRES_PORT", Integer.toString(source.port()));
        env.put("POSTGRES_DB", "onyx");
        env.put("POSTGRES_USER", PostgresServer.SUPERUSER);
        env.put("POSTGRES_PASSWORD", source.superuserPassword());
        env.put("FERRY_WORKDIR", workdir.toString());
        env.put("FERRY_RESULTS_DIR", workdir.resolve("results").toString());
        return env;
    }

    @Test
    void with_a_live_writer_the_manifest_counts_what_the_dump_holds_and_names_the_writes_after_it() throws Exception {
        StepRun outcome;
        try (Writer writer = Writer.start()) {
            outcome = StepProgram.at(DumpIT.PROGRAM).run(env(), Duration.ofMinutes(3));
            assertThat(writer.rows()).as("the writer wrote during the dump").isPositive();
        }

        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        assertThat(outcome.output()).contains("phase=snapshot writes_after=").contains("public.chat_message");
        Manifest manifest = Workspace.at(workdir).readManifest();
        List<Manifest.TableWrites> writes = manifest.dump().snapshot().writesAfter();
        assertThat(writes).extracting(Manifest.TableWrites::qualifiedName).contains("public.chat_message");

        long counted = manifest.inventory().tables().stream()
                .filter(t -> t.qualifiedName().equals("public.chat_message"))
                .findFirst()
                .orElseThrow()
                .rows();
        source.createDatabase("onyx_restored");
        ProcessBuilder restore = new ProcessBuilder(
                        "pg_restore",
                        "--no-owner",
                        "-h",
                        "localhost",
                        "-p",
                        Integer.toString(source.port()),
                        "-U",
                        PostgresServer.SUPERUSER,
                        "-d",
                        "onyx_restored",
                        workdir.resolve("dump.pgdump").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        restore.environment().put("PGPASSWORD", source.superuserPassword());
        assertThat(restore.start().waitFor()).isZero();
        assertThat(count("onyx_restored", "public.chat_message"))
                .as("the dump holds exactly the rows the manifest counted")
                .isEqualTo(counted);
        assertThat(count("onyx", "public.chat_message"))
                .as("the source went on growing after the snapshot")
                .isGreaterThan(counted);
    }

    @Test
    void after_a_freeze_a_write_after_the_snapshot_refuses_the_dump_with_exit_4() throws Exception {
        Workspace.at(workdir).prepare().writeFreezeRecord(new Manifest.Freeze("onyx", Instant.now(), List.of()));
        StepRun outcome;
        try (Writer writer = Writer.start()) {
            outcome = StepProgram.at(DumpIT.PROGRAM).run(env(), Duration.ofMinutes(3));
            assertThat(writer.rows()).as("the writer wrote during the dump").isPositive();
        }

        assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(4);
        assertThat(outcome.failureLine())
                .contains("rows were written to the source after the dump's snapshot")
                .contains("public.chat_message (")
                .contains("although freeze had stopped the writers");
        assertThat(Workspace.at(workdir).hasManifest())
                .as("nothing looks complete")
                .isFalse();
    }

    @Test
    void without_writers_there_is_nothing_to_report() throws Exception {
        StepRun outcome = StepProgram.at(DumpIT.PROGRAM).run(env(), Duration.ofMinutes(3));

        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        assertThat(outcome.output()).contains("phase=snapshot writes_after=0 outcome=ok");
        assertThat(Workspace.at(workdir).readManifest().dump().snapshot().rowsWrittenAfter())
                .isZero();
    }

    private static long count(String database, String table) throws SQLException {
        try (Connection c = source.connect(database);
                Statement sql = c.createStatement();
                ResultSet rs = sql.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Onyx answering chats while the dump runs: one message committed every few milliseconds. */
    static final class Writer implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong rows = new AtomicLong();
        private final Thread thread;
        private volatile Exception failure;

        private Writer() {
            thread = new Thread(this::write, "onyx-writer");
        }

        static Writer start() throws InterruptedException {
            Writer writer = new Writer();
            writer.thread.start();
            while (writer.rows() < 5 && writer.failure == null) {
                Thread.sleep(10);
            }
            return writer;
        }

        long rows() {
            return rows.get();
        }

        private void write() {
            try (Connection c = source.connect("onyx");
                    Statement sql = c.createStatement()) {
                while (running.get()) {
                    sql.executeUpdate("""
                            INSERT INTO public.chat_message (chat_session_id, message, token_count, message_type, time_sent)
                            SELECT chat_session_id, 'live message', 1, 'USER', now() FROM public.chat_message LIMIT 1""");
                    rows.incrementAndGet();
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        @Override
        public void close() {
            running.set(false);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the writer", e);
            }
            if (failure != null) {
                throw new IllegalStateException("the writer failed", failure);
            }
        }
    }
}
