package dev.ferry.testing.follow;

import dev.ferry.testing.pg.OnyxFixture;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import dev.ferry.testing.pg.TableRows;
import dev.ferry.testing.s3.S3TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What follow mode's integration tests share: a source with {@code wal_level=logical} holding the Onyx fixture (its
 * {@code chat_message} with only {@code UNIQUE (id)}, as Onyx's), an empty target database, an S3 server with the
 * follow's bucket, the settings each step program gets, and what the bucket and the slot show while they run. The
 * slot, the publication and the replica identities are the test's own (steps/follow makes them).
 */
public final class FollowRig implements AutoCloseable {

    public static final String DATABASE = "onyx";
    public static final String SLOT = "ferry_follow";
    public static final String PUBLICATION = "ferry_follow";
    public static final String BUCKET = "ferry-follow";
    public static final String PREFIX = "onyx";
    public static final Duration PATIENCE = Duration.ofSeconds(60);

    private final PostgresServer source;
    private final PostgresServer target;
    private final S3TestServer s3;
    private final String migration;

    private FollowRig(PostgresServer source, PostgresServer target, S3TestServer s3, String migration) {
        this.source = source;
        this.target = target;
        this.s3 = s3;
        this.migration = migration;
    }

    /** Starts the servers; the source holds the fixture, the target an empty {@link #DATABASE}. */
    public static FollowRig start(PgMajor sourceMajor, PgMajor targetMajor, String migration) throws Exception {
        PostgresServer source = PostgresServer.start(sourceMajor, Map.of("wal_level", "logical"));
        PostgresServer target = PostgresServer.start(targetMajor);
        S3TestServer s3 = S3TestServer.startTransient();
        s3.createBucket(BUCKET);
        OnyxFixture.singleTenant().installInto(source, DATABASE);
        try (Connection c = source.connect(DATABASE);
                Statement sql = c.createStatement()) {
            sql.execute("ALTER TABLE public.chat_message DROP CONSTRAINT chat_message_pkey,"
                    + " ADD CONSTRAINT chat_message_id_key UNIQUE (id)");
        }
        target.createDatabase(DATABASE);
        return new FollowRig(source, target, s3, migration);
    }

    public PostgresServer source() {
        return source;
    }

    public PostgresServer target() {
        return target;
    }

    public S3TestServer s3() {
        return s3;
    }

    /** The follow's folder in the bucket. */
    public String folder() {
        return PREFIX + "/" + migration + "/follow/";
    }

    /** The settings every follow program gets: the bucket, the follow's folder, {@code server} as POSTGRES_*. */
    public Map<String, String> settings(PostgresServer server, Path work, String results) {
        Map<String, String> env = new HashMap<>(s3.stepEnvironment());
        env.put("FERRY_WORKDIR", work.toString());
        env.put("FERRY_RESULTS_DIR", work.resolve(results).toString());
        env.put("FERRY_S3_BUCKET", BUCKET);
        env.put("FERRY_S3_PREFIX", PREFIX);
        env.put("FERRY_MIGRATION_ID", migration);
        env.put("POSTGRES_HOST", server.host());
        env.put("POSTGRES_PORT", Integer.toString(server.port()));
        env.put("POSTGRES_DB", DATABASE);
        env.put("POSTGRES_USER", server.superuser());
        env.put("POSTGRES_PASSWORD", server.superuserPassword());
        return env;
    }

    /** Capture's settings for a test: small segments, cut often, a heartbeat every second. */
    public Map<String, String> captureSettings(Path work) {
        Map<String, String> env = settings(source, work, "capture-results");
        env.put("FERRY_FOLLOW_CAPTURE_SEGMENT_MAX_CHANGES", "150");
        env.put("FERRY_FOLLOW_CAPTURE_SEGMENT_MAX_AGE", "300ms");
        env.put("FERRY_FOLLOW_CAPTURE_HEARTBEAT_INTERVAL", "1s");
        return env;
    }

    /** Apply's settings for a test: a short poll, progress every second. */
    public Map<String, String> applySettings(Path work) {
        Map<String, String> env = settings(target, work, "apply-results");
        env.put("FERRY_FOLLOW_APPLY_POLL_INTERVAL", "200ms");
        env.put("FERRY_FOLLOW_APPLY_PROGRESS_INTERVAL", "1s");
        return env;
    }

    /** The segments in the bucket, in LSN order, as an independent listing sees them. */
    public List<String> segments() {
        String prefix = folder() + "segments/";
        return s3.client().listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key)
                .map(key -> key.substring(prefix.length()))
                .filter(name -> name.endsWith(".segment.jsonl.gz"))
                .sorted()
                .toList();
    }

    /** The bytes of {@code name} in the follow's folder ({@code capture-heartbeat.json}), empty when absent. */
    public Optional<byte[]> object(String name) {
        try {
            return Optional.of(s3.client()
                    .getObjectAsBytes(b -> b.bucket(BUCKET).key(folder() + name))
                    .asByteArray());
        } catch (NoSuchKeyException absent) {
            return Optional.empty();
        }
    }

    /**
     * The user tables whose rows differ between target and source, compared row by row independently of Ferry
     * ({@link TableRows}); empty when the target is the source.
     */
    public List<String> tablesThatDiffer() throws SQLException {
        List<String> differ = new ArrayList<>();
        for (String table : TableRows.userTables(source, DATABASE)) {
            if (!TableRows.rows(target, DATABASE, table).equals(TableRows.rows(source, DATABASE, table))) {
                differ.add(table);
            }
        }
        return differ;
    }

    /** Whether a WAL sender streams the follow's slot. */
    public static boolean slotActive(Connection c) {
        try (PreparedStatement sql =
                c.prepareStatement("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ? AND active")) {
            sql.setString(1, SLOT);
            try (ResultSet rs = sql.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code reached} until it holds, failing the test after {@link #PATIENCE}. */
    public static void await(String what, BooleanSupplier reached) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!reached.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + PATIENCE);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        try {
            s3.close();
        } finally {
            try {
                source.close();
            } finally {
                target.close();
            }
        }
    }
}
