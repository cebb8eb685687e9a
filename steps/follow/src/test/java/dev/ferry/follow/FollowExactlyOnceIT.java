package dev.ferry.follow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import dev.ferry.testing.pg.OnyxFixture;
import dev.ferry.testing.pg.OnyxWriter;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import dev.ferry.testing.pg.SnapshotCopy;
import dev.ferry.testing.pg.TableRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.replication.LogSequenceNumber;

/**
 * Capture and apply as a library, end to end through real parts: PostgreSQL 15 (Onyx's postgres:15.2-alpine line,
 * {@code wal_level=logical}) with the Onyx fixture and a writer running from before the slot exists until the drain
 * marker; the base copied by Debian's pg_dump from the slot's exported snapshot into PostgreSQL 17; capture killed in
 * mid-stream and started again; every segment applied, some delivered twice; and the target compared with the source
 * row by row, independently of Ferry's own code.
 */
class FollowExactlyOnceIT {

    static final String DATABASE = "onyx";
    static final String SLOT = "ferry_follow_it";
    static final String PUBLICATION = "ferry_follow_it";
    static final Capture.Limits LIMITS = new Capture.Limits(150, 1 << 20, Duration.ofMillis(300));
    static final Duration PATIENCE = Duration.ofSeconds(60);

    static PostgresServer source;
    static PostgresServer target;
    static List<ReplicaIdentities.Changed> changedIdentities;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        source = PostgresServer.start(PgMajor.EXTRA, Map.of("wal_level", "logical"));
        target = PostgresServer.start(PgMajor.LATEST);
        OnyxFixture.singleTenant().installInto(source, DATABASE);
        try (Connection c = source.connect(DATABASE);
                Statement sql = c.createStatement()) {
            // As Onyx has it: no primary key, only UNIQUE (id); a follow makes that index the replica identity.
            sql.execute("ALTER TABLE public.chat_message DROP CONSTRAINT chat_message_pkey,"
                    + " ADD CONSTRAINT chat_message_id_key UNIQUE (id)");
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
                    awaitSlotInactive(c);
                    FollowSlot.drop(c, SLOT, PUBLICATION);
                }
            }
        } finally {
            if (source != null) {
                source.close();
            }
            if (target != null) {
                target.close();
            }
        }
    }

    @Test
    void every_change_a_writer_commits_arrives_exactly_once_across_a_killed_capture_and_replayed_segments()
            throws Exception {
        DirectorySegmentStore store = new DirectorySegmentStore(work.resolve("segments"));
        FollowSlot.Created slot;
        Capture.Result second;
        LogSequenceNumber storedBeforeKill;
        try (OnyxWriter writer = OnyxWriter.start(source, DATABASE)) {
            writer.awaitTransactions(20, PATIENCE);
            Connection replication = replicationConnection();
            try {
                slot = FollowSlot.create(replication, SLOT);
                baseCopy(slot.snapshot());
                long atBaseCopy = writer.transactions();

                // Capture, then a kill in mid-stream: the replication connection cut under it.
                Capture first = new Capture(replication, SLOT, PUBLICATION, store, slot.consistentPoint(), LIMITS);
                CompletableFuture<Capture.Result> running =
                        CompletableFuture.supplyAsync(() -> run(first, () -> false));
                await("three segments stored", () -> store.names().size() >= 3);
                replication.close();
                assertThat(running).failsWithin(PATIENCE);
                assertThat(writer.transactions()).as("the writer kept writing").isGreaterThan(atBaseCopy);
            } finally {
                replication.close();
            }
            storedBeforeKill = store.lastEnd().orElseThrow();
            try (Connection c = source.connect(DATABASE)) {
                awaitSlotInactive(c);
                assertThat(confirmedFlush(c))
                        .as("the slot confirmed nothing beyond the last stored segment")
                        .isLessThanOrEqualTo(storedBeforeKill.asLong());
            }

            // A new capture continues from the store; the writer stops, the drain marker ends the follow.
            int segmentsBefore = store.names().size();
            try (Connection again = replicationConnection()) {
                Capture resumed = new Capture(again, SLOT, PUBLICATION, store, slot.consistentPoint(), LIMITS);
                CompletableFuture<Capture.Result> running =
                        CompletableFuture.supplyAsync(() -> run(resumed, () -> false));
                await("two more segments stored", () -> store.names().size() >= segmentsBefore + 2);
                writer.stop();
                try (Connection c = source.connect(DATABASE)) {
                    FollowSlot.emitDrainMarker(c, "drain-1");
                }
                second = running.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
        }
        assertThat(second.marker()).contains("drain-1");

        List<String> names = store.names();
        int applied = 0;
        try (Connection c = target.connect(DATABASE);
                SegmentApplier apply = SegmentApplier.open(c, SLOT, slot.consistentPoint())) {
            for (String name : names) {
                if (apply.apply(SegmentCodec.decode(store.get(name), name)) == SegmentApplier.Outcome.APPLIED) {
                    applied++;
                }
            }
            // Delivered twice: the third segment again, and the first after the last (it would resurrect deleted rows).
            assertThat(apply.apply(SegmentCodec.decode(store.get(names.get(2)), names.get(2))))
                    .isEqualTo(SegmentApplier.Outcome.SKIPPED);
            assertThat(apply.apply(SegmentCodec.decode(store.get(names.get(0)), names.get(0))))
                    .isEqualTo(SegmentApplier.Outcome.SKIPPED);
        }
        assertThat(applied).isEqualTo(names.size()).isGreaterThanOrEqualTo(5);
        assertThat(names.stream()
                        .flatMap(name -> SegmentCodec.decode(store.get(name), name).transactions().stream())
                        .flatMap(t -> t.changes().stream())
                        .filter(change -> change instanceof Change.Update update
                                && !update.unchanged().isEmpty()))
                .as("updates that left a TOASTed message unchanged were carried")
                .isNotEmpty();
        // An apply that starts again (a new session, progress read from the origin) skips every segment.
        try (Connection c = target.connect(DATABASE);
                SegmentApplier apply = SegmentApplier.open(c, SLOT, slot.consistentPoint())) {
            assertThat(apply.progress()).isEqualTo(SegmentNames.end(names.get(names.size() - 1)));
            for (String name : names) {
                assertThat(apply.apply(SegmentCodec.decode(store.get(name), name)))
                        .isEqualTo(SegmentApplier.Outcome.SKIPPED);
            }
        }

        for (String table : userTables()) {
            assertThat(TableRows.rows(target, DATABASE, table))
                    .as("%s on the target, row by row", table)
                    .isEqualTo(TableRows.rows(source, DATABASE, table));
        }
        assertThat(TableRows.rows(source, DATABASE, "public.chat_message"))
                .as("the writer's rows are there")
                .hasSizeGreaterThan(100);

        // A table created on the source during the follow: apply stops, naming it, and applies nothing of it.
        sourceSql(
                "CREATE TABLE public.tenant_late (id integer PRIMARY KEY); INSERT INTO public.tenant_late VALUES (1)");
        assertThat(captureUntilMarker(store, slot, "drain-2").marker()).contains("drain-2");
        String late = store.names().get(store.names().size() - 1);
        try (Connection c = target.connect(DATABASE);
                SegmentApplier apply = SegmentApplier.open(c, SLOT, slot.consistentPoint())) {
            assertThatThrownBy(() -> apply.apply(SegmentCodec.decode(store.get(late), late)))
                    .isInstanceOfSatisfying(
                            StepFailure.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCode.REFUSED))
                    .hasMessageStartingWith("relation public.tenant_late does not exist on the target");
            assertThat(apply.progress()).isEqualTo(SegmentNames.end(names.get(names.size() - 1)));
        }

        // DDL on a followed table: capture stops at the changed relation, naming it, and stores nothing past it.
        sourceSql("INSERT INTO public.key_value_store (key) VALUES ('ddl-1');"
                + " ALTER TABLE public.key_value_store ADD COLUMN note text;"
                + " INSERT INTO public.key_value_store (key, note) VALUES ('ddl-2', 'after')");
        int before = store.names().size();
        assertThatThrownBy(() -> captureUntilMarker(store, slot, "drain-3"))
                .isInstanceOfSatisfying(
                        StepFailure.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCode.REFUSED))
                .hasMessageStartingWith("relation public.key_value_store changed while followed (DDL on the source)");
        assertThat(store.names()).hasSize(before);

        // The follow ends: slot and publication dropped, the replica identity put back as it was.
        assertThat(changedIdentities)
                .containsExactly(
                        new ReplicaIdentities.Changed("public.chat_message", "chat_message_id_key", "DEFAULT"));
        try (Connection c = source.connect(DATABASE)) {
            awaitSlotInactive(c);
            FollowSlot.drop(c, SLOT, PUBLICATION);
            ReplicaIdentities.restore(c, changedIdentities);
            assertThat(sourceText(c, "SELECT count(*) FROM pg_replication_slots"))
                    .isEqualTo("0");
            assertThat(sourceText(c, "SELECT count(*) FROM pg_publication")).isEqualTo("0");
            assertThat(sourceText(c, "SELECT relreplident FROM pg_class WHERE oid = 'public.chat_message'::regclass"))
                    .isEqualTo("d");
        }
    }

    static String sourceText(Connection c, String query) throws SQLException {
        try (Statement sql = c.createStatement();
                ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static Capture.Result captureUntilMarker(SegmentStore store, FollowSlot.Created slot, String marker)
            throws Exception {
        try (Connection replication = replicationConnection();
                Connection c = source.connect(DATABASE)) {
            awaitSlotInactive(c);
            FollowSlot.emitDrainMarker(c, marker);
            return new Capture(replication, SLOT, PUBLICATION, store, slot.consistentPoint(), LIMITS).run(() -> false);
        }
    }

    static void sourceSql(String statements) throws SQLException {
        try (Connection c = source.connect(DATABASE);
                Statement sql = c.createStatement()) {
            sql.execute(statements);
        }
    }

    /** Debian's pg_dump 15 reads the slot's exported snapshot; pg_restore writes into PostgreSQL 17. */
    void baseCopy(String snapshot) throws Exception {
        SnapshotCopy.copy(source, target, DATABASE, snapshot, work.resolve("base.pgdump"));
    }

    static Capture.Result run(Capture capture, BooleanSupplier stop) {
        try {
            return capture.run(stop);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Connection replicationConnection() throws SQLException {
        return FollowSlot.replicationConnection(
                source.jdbcUrl(DATABASE), source.superuser(), source.superuserPassword(), "ferry-follow-it");
    }

    static void await(String what, BooleanSupplier reached) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!reached.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within " + PATIENCE).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    static void awaitSlotInactive(Connection c) throws Exception {
        awaitSlotInactive(c, SLOT);
    }

    /** A walsender ends a moment after its connection closes; until then its slot cannot be dropped. */
    static void awaitSlotInactive(Connection c, String slot) throws Exception {
        await("the slot released", () -> {
            try (Statement sql = c.createStatement();
                    ResultSet rs = sql.executeQuery(
                            "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot + "' AND active")) {
                rs.next();
                return rs.getLong(1) == 0;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static long confirmedFlush(Connection c) throws SQLException {
        try (Statement sql = c.createStatement();
                ResultSet rs = sql.executeQuery("SELECT confirmed_flush_lsn::text FROM pg_replication_slots"
                        + " WHERE slot_name = '" + SLOT + "'")) {
            rs.next();
            return LogSequenceNumber.valueOf(rs.getString(1)).asLong();
        }
    }

    static List<String> userTables() throws SQLException {
        List<String> tables = TableRows.userTables(source, DATABASE);
        assertThat(tables).contains("public.chat_message", "public.key_value_store");
        return tables;
    }
}
