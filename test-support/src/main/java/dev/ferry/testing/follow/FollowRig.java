package dev.ferry.testing.follow;

import dev.ferry.testing.pg.PostgresServer;
import dev.ferry.testing.pg.TableRows;
import dev.ferry.testing.s3.S3TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One follow as the follow ITs drive it: the settings each step program gets (the source or target, the bucket, the
 * follow's folder), what an independent reader finds in that folder, and the slot as the source's catalog shows it.
 */
public record FollowRig(S3TestServer s3, String bucket, String prefix, String migrationId, String database, Path work) {

    /** The slot and publication every follow test uses (the steps' defaults). */
    public static final String SLOT = "ferry_follow";

    public static final String PUBLICATION = "ferry_follow";

    /** The follow's folder in the bucket. */
    public String folder() {
        return prefix + "/" + migrationId + "/follow/";
    }

    /** What every follow program needs: {@code server} as POSTGRES_*, the bucket and the follow's folder. */
    public Map<String, String> settings(PostgresServer server, String resultsFolder) {
        Map<String, String> env = new HashMap<>(s3.stepEnvironment());
        env.put("FERRY_WORKDIR", work.toString());
        env.put("FERRY_RESULTS_DIR", work.resolve(resultsFolder).toString());
        env.put("FERRY_S3_BUCKET", bucket);
        env.put("FERRY_S3_PREFIX", prefix);
        env.put("FERRY_MIGRATION_ID", migrationId);
        env.put("POSTGRES_HOST", server.host());
        env.put("POSTGRES_PORT", Integer.toString(server.port()));
        env.put("POSTGRES_DB", database);
        env.put("POSTGRES_USER", server.superuser());
        env.put("POSTGRES_PASSWORD", server.superuserPassword());
        return env;
    }

    /** Capture with small, quick segments and a heartbeat every second. */
    public Map<String, String> captureSettings(PostgresServer source) {
        Map<String, String> env = settings(source, "capture-results");
        env.put("FERRY_FOLLOW_CAPTURE_SEGMENT_MAX_CHANGES", "150");
        env.put("FERRY_FOLLOW_CAPTURE_SEGMENT_MAX_AGE", "300ms");
        env.put("FERRY_FOLLOW_CAPTURE_HEARTBEAT_INTERVAL", "1s");
        return env;
    }

    /** Apply polling five times a second. */
    public Map<String, String> applySettings(PostgresServer target) {
        Map<String, String> env = settings(target, "apply-results");
        env.put("FERRY_FOLLOW_APPLY_POLL_INTERVAL", "200ms");
        env.put("FERRY_FOLLOW_APPLY_PROGRESS_INTERVAL", "1s");
        return env;
    }

    /** The segment names in the bucket, in LSN order, as an independent listing sees them. */
    public List<String> segments() {
        String segments = folder() + "segments/";
        return s3.client().listObjectsV2(b -> b.bucket(bucket).prefix(segments)).contents().stream()
                .map(S3Object::key)
                .map(key -> key.substring(segments.length()))
                .filter(name -> name.endsWith(".segment.jsonl.gz"))
                .sorted()
                .toList();
    }

    /** Stores {@code bytes} as {@code name} in the follow's folder: a test playing a step's part. */
    public void put(String name, byte[] bytes) {
        s3.client().putObject(b -> b.bucket(bucket).key(folder() + name), RequestBody.fromBytes(bytes));
    }

    /** The bytes of {@code name} in the follow's folder ({@code capture-heartbeat.json}, …), if it is there. */
    public Optional<byte[]> object(String name) {
        try {
            return Optional.of(s3.client()
                    .getObjectAsBytes(b -> b.bucket(bucket).key(folder() + name))
                    .asByteArray());
        } catch (NoSuchKeyException absent) {
            return Optional.empty();
        }
    }

    /** Whether a WAL sender streams {@code slot}. */
    public static boolean slotActive(Connection source, String slot) {
        return countSlots(source, slot, " AND active") > 0;
    }

    /** Whether {@code slot} exists. */
    public static boolean slotExists(Connection source, String slot) {
        return countSlots(source, slot, "") > 0;
    }

    private static long countSlots(Connection source, String slot, String condition) {
        try (PreparedStatement sql =
                source.prepareStatement("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?" + condition)) {
            sql.setString(1, slot);
            try (ResultSet rs = sql.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The user tables whose rows differ between {@code target} and {@code source}, compared row by row independently
     * of Ferry ({@link TableRows}); empty when the target is the source.
     */
    public List<String> tablesThatDiffer(PostgresServer source, PostgresServer target) throws SQLException {
        List<String> differ = new ArrayList<>();
        for (String table : TableRows.userTables(source, database)) {
            if (!TableRows.rows(target, database, table).equals(TableRows.rows(source, database, table))) {
                differ.add(table);
            }
        }
        return differ;
    }

    /** Polls {@code reached} until it holds; an AssertionError naming {@code what} past {@code patience}. */
    public static void await(String what, BooleanSupplier reached, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!reached.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not reached within " + patience);
            }
            Thread.sleep(20);
        }
    }
}
