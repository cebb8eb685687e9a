package dev.ferry.benchmark;

import dev.ferry.follow.Segment;
import dev.ferry.follow.SegmentCodec;
import dev.ferry.follow.SegmentNames;
import dev.ferry.follow.bucket.FollowObjects;
import dev.ferry.testing.ProgramRunner;
import dev.ferry.testing.pg.ChangeRate;
import dev.ferry.testing.pg.DatabaseAccess;
import dev.ferry.testing.pg.OnyxWriter;
import dev.ferry.testing.pg.PostgresServer;
import dev.ferry.testing.s3.S3TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.replication.LogSequenceNumber;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The follow run: Onyx keeps writing at a fixed rate while the base copy is taken and restored and while capture and
 * apply follow for a set time; then the cutover, where the outage runs from the freeze (the writer stops, as the
 * frozen Onyx would) until the follow is proven and the new cluster could scale up. The Kubernetes steps (freeze,
 * alembic-run, scale-up) are left out, as in the benchmark's other ratios. Every Ferry step runs as the built
 * program, the long-running two in the background, with their default settings (plus any FERRY_FOLLOW_* in the
 * benchmark's environment).
 */
final class FollowMeasurement {

    static final String DATABASE = "follow";
    private static final String MIGRATION = "onyx-follow-bench";
    private static final String ORIGIN = "ferry_follow";
    private static final Duration PATIENCE = Duration.ofMinutes(10);
    /** How long to follow on after check-lag refused before asking again. */
    private static final Duration CHECK_LAG_AGAIN = Duration.ofSeconds(5);

    private static final Pattern APPLY_RATE = Pattern.compile("step=follow-apply outcome=done .*apply_rate=(\\d+)/s");

    /** What the run is told: the writer's changes per second and how long to follow before the cutover. */
    record Settings(double rate, Duration follow) {

        static Settings fromEnvironment() {
            return new Settings(
                    Double.parseDouble(System.getenv().getOrDefault("FERRY_BENCH_FOLLOW_RATE", "400")),
                    Duration.ofSeconds(
                            Long.parseLong(System.getenv().getOrDefault("FERRY_BENCH_FOLLOW_SECONDS", "30"))));
        }
    }

    /** How the benchmark runs one step to its end, timed, with its log kept. */
    interface Steps {
        Timed run(String step, Map<String, String> env);

        /** The command and settings of a step started in the background, its log kept when it ends. */
        ProgramRunner.Running start(String step, Map<String, String> env);
    }

    private final Path work;
    private final PostgresServer source;
    private final PostgresServer target;
    private final S3TestServer s3;
    private final String bucket;
    private final Steps steps;
    private final Settings settings;

    FollowMeasurement(
            Path work,
            PostgresServer source,
            PostgresServer target,
            S3TestServer s3,
            String bucket,
            Steps steps,
            Settings settings) {
        this.work = work;
        this.source = source;
        this.target = target;
        this.s3 = s3;
        this.bucket = bucket;
        this.steps = steps;
        this.settings = settings;
    }

    FollowResult measure(int chatMessages, long databaseBytes, double runbookWindowSeconds) throws Exception {
        Path export = work.resolve("follow-export");
        Path imported = work.resolve("follow-import");
        target.createDatabase(DATABASE);
        List<ProgramRunner.Running> background = new ArrayList<>();
        try (OnyxWriter writer = OnyxWriter.start(source, "onyx", ChangeRate.perSecond(settings.rate()))) {
            long writing = System.nanoTime();
            // Onyx is running before the follow starts: the base copy's slot waits for the writes in flight.
            writer.awaitTransactions(10, PATIENCE);
            long copying = System.nanoTime();
            baseCopy(export, imported);
            say("base copy (dump in follow mode, upload, download, restore, validate) %.1f s", since(copying));

            long following = System.nanoTime();
            ProgramRunner.Running capture = steps.start("follow-capture", capture(export));
            background.add(capture);
            ProgramRunner.Running apply = steps.start("follow-apply", apply(imported));
            background.add(apply);
            followFor(settings.follow(), capture, apply);
            readyToFreeze(export, capture, apply);

            writer.stop();
            long frozen = System.nanoTime();
            LogSequenceNumber appliedAtFreeze = appliedUpTo();
            double writerRate = writer.changes() / ((frozen - writing) / 1e9);

            // The drain marks the end in the WAL and stores the frozen source's final state; capture ends once it
            // stored the marker's segment, apply once it applied it and proved the target against that final state.
            Timed drain = steps.run("follow-cutover", cutover(export, "drain"));
            double drained = since(frozen);
            ProgramRunner.Outcome captured = capture.await(PATIENCE);
            ended("follow-capture", captured);
            double captureEnded = since(frozen);
            ProgramRunner.Outcome applied = apply.await(PATIENCE);
            double outage = since(frozen);
            ended("follow-apply", applied);
            if (!applied.output().contains("phase=prove verdict=passed")) {
                throw new IllegalStateException("follow-apply ended without its proof passing:\n" + applied.output());
            }
            say(
                    "outage %.2f s: drain %.2f s (done at %.2f s), capture ended at %.2f s, apply applied and proved"
                            + " at %.2f s",
                    outage, drain.seconds(), drained, captureEnded, outage);
            OutageShares shares = OutageShares.of(drain.output(), captured.output(), applied.output());
            say("outage by step: %s", shares.describe());
            drain.output()
                    .lines()
                    .filter(line -> line.contains("phase=") || line.contains("outcome="))
                    .forEach(line -> say("drain: %s", line));
            captured.output()
                    .lines()
                    .filter(line -> line.contains("phase=final-state"))
                    .forEach(line -> say("capture: %s", line));
            applied.output()
                    .lines()
                    .filter(line -> line.contains("phase=drained")
                            || line.contains("final-state=read")
                            || line.contains("phase=large-objects")
                            || line.contains("verdict="))
                    .forEach(line -> say("apply: %s", line));

            return new FollowResult(
                    chatMessages,
                    databaseBytes,
                    outage,
                    runbookWindowSeconds,
                    changesAfter(appliedAtFreeze),
                    applyRate(applied.output()),
                    writerRate,
                    (frozen - following) / 1e9,
                    shares);
        } finally {
            background.forEach(ProgramRunner.Running::kill);
            RunbookBenchmark.deleteRecursively(export);
            RunbookBenchmark.deleteRecursively(imported);
        }
    }

    /** The base copy while Onyx writes: dump in follow mode creates the slot, and the rest is today's copy. */
    private void baseCopy(Path export, Path imported) {
        Map<String, String> dump =
                new HashMap<>(DatabaseAccess.superuser(source, "onyx").stepEnvironment());
        dump.put("FERRY_WORKDIR", export.toString());
        dump.put("FERRY_MIGRATION_ID", MIGRATION);
        dump.put("FERRY_DUMP_FOLLOW", "true");
        steps.run("dump", dump);
        Map<String, String> upload = bucket(export);
        steps.run("upload", upload);
        steps.run("download", bucket(imported));
        Map<String, String> restore =
                new HashMap<>(DatabaseAccess.superuser(target, DATABASE).stepEnvironment());
        restore.put("FERRY_WORKDIR", imported.toString());
        steps.run("restore", restore);
        steps.run("validate", restore);
    }

    private Map<String, String> capture(Path export) {
        Map<String, String> env = bucket(export);
        env.putAll(DatabaseAccess.superuser(source, "onyx").stepEnvironment());
        env.put("FERRY_RESULTS_DIR", work.resolve("capture-results").toString());
        return env;
    }

    private Map<String, String> apply(Path imported) {
        Map<String, String> env = bucket(imported);
        env.putAll(DatabaseAccess.superuser(target, DATABASE).stepEnvironment());
        env.put("FERRY_RESULTS_DIR", work.resolve("apply-results").toString());
        return env;
    }

    private Map<String, String> cutover(Path export, String action) {
        Map<String, String> env = bucket(export);
        env.putAll(DatabaseAccess.superuser(source, "onyx").stepEnvironment());
        env.put("FERRY_FOLLOW_CUTOVER_ACTION", action);
        return env;
    }

    private Map<String, String> bucket(Path workdir) {
        Map<String, String> env = new HashMap<>(s3.stepEnvironment());
        env.put("FERRY_S3_BUCKET", bucket);
        env.put("FERRY_S3_PREFIX", "follow");
        env.put("FERRY_MIGRATION_ID", MIGRATION);
        env.put("FERRY_WORKDIR", workdir.toString());
        return env;
    }

    /**
     * check-lag, as an operator runs it before freezing: while it refuses (exit 3, apply still catching up on what Onyx
     * wrote during a long base copy), follow on and ask again. Not in the outage: Onyx runs meanwhile.
     */
    private void readyToFreeze(Path export, ProgramRunner.Running capture, ProgramRunner.Running apply)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (int attempt = 1; ; attempt++) {
            long asking = System.nanoTime();
            ProgramRunner.Outcome lag =
                    steps.start("follow-cutover", cutover(export, "check-lag")).await(PATIENCE);
            if (lag.exitCode() == 0) {
                say(
                        "check-lag passed at attempt %d, %.1f s (before the freeze, not in the outage)",
                        attempt, since(asking));
                return;
            }
            if (lag.exitCode() != 3 || System.nanoTime() > deadline) {
                throw new IllegalStateException("check-lag exited " + lag.exitCode() + ":\n" + lag.output());
            }
            say("check-lag refused at attempt %d, following on: %s", attempt, lastLine(lag.output()));
            followFor(CHECK_LAG_AGAIN, capture, apply);
        }
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1];
    }

    /** Follows for the set time; either program ending meanwhile ends the run with its output. */
    private static void followFor(Duration time, ProgramRunner.Running capture, ProgramRunner.Running apply)
            throws InterruptedException {
        long until = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < until) {
            for (ProgramRunner.Running running : List.of(capture, apply)) {
                if (!running.process().isAlive()) {
                    throw new IllegalStateException(running.name() + " ended while following:\n"
                            + running.output().join());
                }
            }
            TimeUnit.MILLISECONDS.sleep(Math.min(200, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
        }
    }

    private static void ended(String step, ProgramRunner.Outcome outcome) {
        if (outcome.exitCode() != 0) {
            throw new IllegalStateException(
                    step + " exited " + outcome.exitCode() + " after the drain:\n" + outcome.output());
        }
    }

    /** Where the target's replication origin stands: every change up to it is applied, none after it. */
    private LogSequenceNumber appliedUpTo() throws Exception {
        try (Connection c = target.connect(DATABASE);
                PreparedStatement sql = c.prepareStatement("SELECT pg_replication_origin_progress(?, true)::text")) {
            sql.setString(1, ORIGIN);
            try (ResultSet rs = sql.executeQuery()) {
                rs.next();
                String lsn = rs.getString(1);
                return lsn == null ? LogSequenceNumber.INVALID_LSN : LogSequenceNumber.valueOf(lsn);
            }
        }
    }

    /**
     * The changes in the stored segments past {@code applied}: what was still to apply at the freeze, counted from the
     * segments themselves (the drain marker's included), not from what apply says about itself.
     */
    private long changesAfter(LogSequenceNumber applied) {
        String folder = "follow/" + MIGRATION + "/" + FollowObjects.SEGMENTS;
        long changes = 0;
        for (S3Object object : s3.client()
                .listObjectsV2Paginator(b -> b.bucket(bucket).prefix(folder))
                .contents()) {
            String name = object.key().substring(folder.length());
            if (SegmentNames.isSegment(name) && SegmentNames.end(name).compareTo(applied) > 0) {
                byte[] bytes = s3.client()
                        .getObjectAsBytes(b -> b.bucket(bucket).key(object.key()))
                        .asByteArray();
                Segment segment = SegmentCodec.decode(bytes, object.key());
                changes += segment.changes();
            }
        }
        return changes;
    }

    private static double applyRate(String output) {
        Matcher matcher = APPLY_RATE.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("follow-apply's summary has no apply_rate:\n" + output);
        }
        return Double.parseDouble(matcher.group(1));
    }

    private static double since(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }

    private static void say(String format, Object... args) {
        System.err.printf(Locale.ROOT, "follow run: " + format + "%n", args);
    }
}
