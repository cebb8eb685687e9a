package dev.ferry.follow.cutover;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.workspace.JsonCodec;
import dev.ferry.testing.ProgramRunner;
import dev.ferry.testing.StepProgram;
import dev.ferry.testing.follow.FollowRig;
import dev.ferry.testing.pg.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.replication.LogSequenceNumber;

/**
 * What the cutover ITs share: the step programs they run as processes (every one stopped after the test, whatever
 * failed), the cutover run with its settings, the status files in the bucket, and the source's and target's
 * sequences read independently of Ferry.
 */
abstract class CutoverProcesses {

    static final String DATABASE = "onyx";
    static final String BUCKET = "ferry-follow";
    static final Duration PATIENCE = Duration.ofSeconds(60);

    static final Path CUTOVER = Path.of("target", "quarkus-app", "quarkus-run.jar");
    static final Path CAPTURE = program("follow-capture");
    static final Path APPLY = program("follow-apply");

    @TempDir
    Path work;

    final List<ProgramRunner.Running> started = new ArrayList<>();

    /** The packaged program of the step module {@code module} beside this one. */
    static Path program(String module) {
        return Path.of("..", module, "target", "quarkus-app", "quarkus-run.jar");
    }

    /** follow-cutover against {@code source}, check-lag unless {@code extra} says otherwise, to its end. */
    ProgramRunner.Outcome cutover(FollowRig rig, PostgresServer source, Map<String, String> extra) {
        Map<String, String> settings = rig.settings(source, "cutover-results");
        settings.put("FERRY_FOLLOW_CUTOVER_POLL_INTERVAL", "200ms");
        settings.putAll(extra);
        return start(CUTOVER, settings).await(PATIENCE);
    }

    ProgramRunner.Running start(Path jar, Map<String, String> settings) {
        ProgramRunner.Running running = ProgramRunner.start(StepProgram.javaCommand(jar), settings, line -> {});
        started.add(running);
        return running;
    }

    static JsonNode json(FollowRig rig, String name) {
        return rig.object(name)
                .map(bytes -> {
                    try {
                        return JsonCodec.mapper().readTree(bytes);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .orElse(null);
    }

    static long lsn(JsonNode status, String field) {
        return LogSequenceNumber.valueOf(status.path(field).asText()).asLong();
    }

    /** Every sequence's last value by {@code schema.name} (null when never called). */
    static Map<String, Long> sequences(PostgresServer server) throws SQLException {
        Map<String, Long> values = new TreeMap<>();
        try (Connection c = server.connect(DATABASE);
                Statement sql = c.createStatement();
                ResultSet rs =
                        sql.executeQuery("SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences")) {
            while (rs.next()) {
                long value = rs.getLong(2);
                values.put(rs.getString(1), rs.wasNull() ? null : value);
            }
        }
        return values;
    }

    static long single(PostgresServer server, String query) throws SQLException {
        try (Connection c = server.connect(DATABASE);
                Statement sql = c.createStatement();
                ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Nothing this test started outlives it, whatever failed: a running capture would hold the slot. */
    @AfterEach
    void stopAll() {
        started.forEach(ProgramRunner.Running::kill);
    }
}
