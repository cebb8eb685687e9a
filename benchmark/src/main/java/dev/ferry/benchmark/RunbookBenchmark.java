package dev.ferry.benchmark;

import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.crypto.Keyset;
import dev.ferry.testing.ProgramRunner;
import dev.ferry.testing.StepProgram;
import dev.ferry.testing.pg.DatabaseAccess;
import dev.ferry.testing.pg.OnyxFixture;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import dev.ferry.testing.s3.S3TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The outage Ferry causes against the manual runbook's own commands, on the same Onyx-shaped data, on the
 * same machine, in the same run: export ({@code pg_dump -Fc -Z 6} and {@code aws s3 cp} against Ferry's dump
 * and upload), import ({@code aws s3 cp} and {@code pg_restore} against download, restore and validate), and
 * the cutover without object storage ({@code pg_dump | pg_restore} and {@code pgcopydb clone} against dump,
 * restore and validate). Every side runs as its own process, Ferry's steps exactly as a Task runs them, with
 * their default settings (plus any FERRY_DUMP_* / FERRY_RESTORE_* in this program's environment); each
 * comparison is made once per client tool set (PATH's, and PostgreSQL 17's when hack/pg17-client.sh can get
 * them). It also starts dump with upload and download with restore together, each pair's makespan bounding what
 * overlapping those phases can gain on this machine. Prints medians of FERRY_BENCH_RUNS runs (default 3): seconds,
 * MB/s, peak RSS and the ratios.
 *
 * <p>Then, on the same data, the follow run ({@link FollowMeasurement}): the outage of a follow-mode cutover against
 * the runbook's window measured in this run, printed as one {@code follow:} line.
 *
 * <p>{@code bin/ferry-benchmark} runs it; FERRY_BENCH_CHAT_MESSAGES sets the data size (default 200000),
 * FERRY_BENCH_LOGS a folder that keeps each step's log, FERRY_BENCH_ONLY {@code copy} or {@code follow} one of the
 * two (the follow run then measures the runbook's window once itself), FERRY_BENCH_TARGET_MAJOR the target's
 * PostgreSQL major (default 17), FERRY_BENCH_FOLLOW_RATE and FERRY_BENCH_FOLLOW_SECONDS the follow's writer and length.
 */
public final class RunbookBenchmark {

    private static final String BUCKET = "bench";

    private final Path root;
    private final Path work;
    private final PostgresServer source;
    private final PostgresServer target;
    private final S3TestServer s3;
    private final boolean aws;
    private final boolean pgcopydb;
    /** Both servers' passwords for the commands that reach both (the pipe, pgcopydb): never in argv. */
    private final Path passfile;

    private RunbookBenchmark(Path root, Path work, PostgresServer source, PostgresServer target, S3TestServer s3) {
        this.root = root;
        this.work = work;
        this.source = source;
        this.target = target;
        this.s3 = s3;
        this.aws = onPath("aws");
        this.pgcopydb = onPath("pgcopydb");
        this.passfile = work.resolve("pgpass");
    }

    private void writePassfile() throws IOException {
        Files.writeString(passfile, line(source) + line(target), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(passfile, PosixFilePermissions.fromString("rw-------"));
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("ferry.project.root", "."))
                .toAbsolutePath()
                .normalize();
        int messages = Integer.parseInt(System.getenv().getOrDefault("FERRY_BENCH_CHAT_MESSAGES", "200000"));
        int runs = Integer.parseInt(System.getenv().getOrDefault("FERRY_BENCH_RUNS", "3"));
        String only = System.getenv().getOrDefault("FERRY_BENCH_ONLY", "");
        if (!List.of("", "copy", "follow").contains(only)) {
            System.err.println("FERRY_BENCH_ONLY is \"" + only + "\": use copy or follow, or leave it unset for both");
            System.exit(2);
        }
        PgMajor targetMajor = targetMajor(System.getenv().getOrDefault("FERRY_BENCH_TARGET_MAJOR", ""));
        List<ClientTools> toolSets = new ArrayList<>(List.of(ClientTools.onPath()));
        if (!only.equals("follow")) {
            ClientTools.pg17().ifPresent(toolSets::add);
        }
        Path work = Files.createTempDirectory("ferry-bench-");
        // The source decodes logically for the follow run; the copy measures read it the same either way.
        try (PostgresServer source = PostgresServer.start(PgMajor.EXTRA, Map.of("wal_level", "logical"));
                PostgresServer target = PostgresServer.start(targetMajor);
                S3TestServer s3 = S3TestServer.startTransient()) {
            OnyxFixture.singleTenant().withChatMessages(messages).installInto(source, "onyx");
            s3.createBucket(BUCKET);
            RunbookBenchmark bench = new RunbookBenchmark(root, work, source, target, s3);
            bench.writePassfile();
            long databaseBytes = bench.databaseSize();
            System.out.printf(
                    Locale.ROOT,
                    "%nOnyx-shaped database: %d chat messages, %.0f MB on PostgreSQL %s; target PostgreSQL %s; %s;"
                            + " S3Proxy on loopback; %s; %s; steps %s their AppCDS archives%n",
                    messages,
                    databaseBytes / 1e6,
                    PgMajor.EXTRA.binariesVersion(),
                    targetMajor.binariesVersion(),
                    only.equals("follow")
                            ? "the follow run alone, against the runbook's window measured once"
                            : runs + " run(s) per tool set, medians",
                    bench.aws
                            ? "AWS CLI " + awsVersion()
                            : "no AWS CLI (upload/download compared with nothing, the runbook's window without them)",
                    bench.pgcopydb ? "pgcopydb on PATH" : "no pgcopydb",
                    CLASS_CACHE ? "with" : "without");
            Path page = root.resolve("docs/benchmarks.md");
            double runbookWindow = Double.NaN;
            if (!only.equals("follow")) {
                List<Run> onPath = bench.copy(toolSets, runs, databaseBytes, messages, targetMajor, page);
                runbookWindow = Report.runbookWindow(onPath);
            }
            if (!only.equals("copy")) {
                if (only.equals("follow")) {
                    runbookWindow = bench.runbookWindow(ClientTools.onPath());
                }
                FollowResult follow = new FollowMeasurement(
                                work,
                                source,
                                target,
                                s3,
                                BUCKET,
                                bench.steps(),
                                FollowMeasurement.Settings.fromEnvironment())
                        .measure(messages, databaseBytes, runbookWindow);
                System.out.println();
                System.out.println(follow.line());
                String ranOn = BenchmarkPage.followRanOn(
                        root, "PostgreSQL " + PgMajor.EXTRA.binariesVersion() + " → " + targetMajor.binariesVersion());
                // The follow guide carries the same table, so its figures are never copied by hand.
                for (Path followPage : List.of(page, root.resolve(BenchmarkPage.FOLLOW_GUIDE))) {
                    BenchmarkPage.writeFollow(followPage, follow, ranOn);
                    System.out.printf("%nwrote the follow row into %s%n", followPage);
                }
            }
        } finally {
            deleteRecursively(work);
        }
    }

    /**
     * The copy measures: every tool set's runs, printed, and the results table of docs/benchmarks.md. Returns the
     * runs with PATH's tools, whose runbook window the follow run compares with.
     */
    private List<Run> copy(
            List<ClientTools> toolSets, int runs, long databaseBytes, int messages, PgMajor targetMajor, Path page)
            throws Exception {
        List<Run> onPath = null;
        Map<String, List<BenchmarkPage.Row>> results = BenchmarkPage.byToolSet();
        for (ClientTools tools : toolSets) {
            List<Run> measured = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                measured.add(measure(tools, run));
            }
            if (onPath == null) {
                onPath = measured;
            }
            Report.print(tools, measured, databaseBytes);
            results.put(
                    "pg_dump " + tools.pgDumpVersion().replaceAll("^.*\\(PostgreSQL\\) ", ""),
                    Report.summary(measured));
        }
        // The one results table of docs/benchmarks.md is this run's: where, when and on what it ran, then the
        // medians.
        BenchmarkPage.write(
                page,
                BenchmarkPage.render(
                        BenchmarkPage.ranOn(
                                root,
                                String.format(
                                        Locale.ROOT,
                                        "%,d chat messages, %.0f MB on PostgreSQL %s restored into %s, %d run(s)"
                                                + " per tool set, medians, S3Proxy on loopback",
                                        messages,
                                        databaseBytes / 1e6,
                                        PgMajor.EXTRA.binariesVersion(),
                                        targetMajor.binariesVersion(),
                                        runs)),
                        results));
        System.out.printf("%nwrote the results table into %s%n", page);
        return onPath;
    }

    /** FERRY_BENCH_TARGET_MAJOR: the target's PostgreSQL major, one the tests run (default: 17). */
    private static PgMajor targetMajor(String major) {
        if (major.isBlank()) {
            return PgMajor.LATEST;
        }
        for (PgMajor candidate : PgMajor.values()) {
            if (Integer.toString(candidate.majorVersion()).equals(major.strip())) {
                return candidate;
            }
        }
        throw new IllegalArgumentException(
                "FERRY_BENCH_TARGET_MAJOR is \"" + major + "\": use one of the majors the" + " tests run, "
                        + java.util.Arrays.stream(PgMajor.values())
                                .map(PgMajor::majorVersion)
                                .toList());
    }

    /**
     * The runbook's window alone, once, for the follow run when the copy measures do not run: {@code pg_dump -Fc -Z
     * 6}, {@code aws s3 cp} up and down (where the AWS CLI is), {@code pg_restore}.
     */
    private double runbookWindow(ClientTools tools) throws Exception {
        String tag = "window";
        Map<String, Timed> phases = new HashMap<>();
        Path dump = runbookExport(tools, tag, phases);
        runbookImport(tools, tag, dump, phases);
        dropDatabase("runbook_" + tag);
        Files.deleteIfExists(work.resolve("runbook-" + tag + ".pgdump"));
        Files.deleteIfExists(work.resolve("down-" + tag + ".pgdump"));
        double window = Report.runbookWindow(List.of(new Run(phases, 0, 0, Map.of())));
        System.err.printf(Locale.ROOT, "runbook window %.2f s%n", window);
        return window;
    }

    /** One run of every phase, each side in turn. */
    private Run measure(ClientTools tools, int run) throws Exception {
        String tag = tools.label().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "") + "_" + run;
        Map<String, Timed> phases = new HashMap<>();
        Path ferryExport = work.resolve("ferry-export-" + tag);
        Path ferryImport = work.resolve("ferry-import-" + tag);

        // Export: the old cluster is frozen from here until the dump is safe in the bucket.
        Path runbookDump = runbookExport(tools, tag, phases);
        long runbookDumpBytes = Files.size(runbookDump);
        Map<String, Long> compressedBytes = compressionChoices(tools, tag, phases);
        Map<String, String> dumpEnv = ferrySettings(source, "onyx", ferryExport);
        tools.binDir().ifPresent(dir -> dumpEnv.put("FERRY_DUMP_PG_BIN_DIR", dir.toString()));
        phases.put("ferry.dump", step("dump", dumpEnv));
        long ferryDumpBytes = folderSize(ferryExport) - Files.size(ferryExport.resolve("manifest.json"));
        Map<String, String> s3Env = new HashMap<>(s3.stepEnvironment());
        s3Env.put("FERRY_S3_BUCKET", BUCKET);
        s3Env.put("FERRY_S3_PREFIX", tag);
        s3Env.put("FERRY_WORKDIR", ferryExport.toString());
        phases.put("ferry.upload", step("upload", s3Env));
        // What overlapping export's phases could gain at most on this machine: the same two steps started together,
        // the upload not waiting for a byte of the dump (an overlapped export would have to).
        Path overlapExport = work.resolve("ferry-export-overlap-" + tag);
        Map<String, String> overlapUploadEnv = new HashMap<>(s3Env);
        overlapUploadEnv.put("FERRY_S3_PREFIX", tag + "-overlap");
        Map<String, String> overlapDumpEnv = new HashMap<>(dumpEnv);
        overlapDumpEnv.put("FERRY_WORKDIR", overlapExport.toString());
        phases.put(
                "overlap.export", together(() -> step("dump", overlapDumpEnv), () -> step("upload", overlapUploadEnv)));
        deleteRecursively(overlapExport);

        // Import: the new cluster stays down until the restore is validated.
        runbookImport(tools, tag, runbookDump, phases);
        s3Env.put("FERRY_WORKDIR", ferryImport.toString());
        phases.put("ferry.download", step("download", s3Env));
        // The same transfers encrypted (the default path where the key Secret exists), for what encryption costs.
        Path encryptedImport = work.resolve("ferry-import-encrypted-" + tag);
        Map<String, String> encryptedEnv = new HashMap<>(s3Env);
        encryptedEnv.put("FERRY_ENCRYPTION_KEYSET", keyset.secretJson());
        encryptedEnv.put("FERRY_S3_PREFIX", tag + "-encrypted");
        encryptedEnv.put("FERRY_WORKDIR", ferryExport.toString());
        phases.put("ferry.upload.encrypted", step("upload", encryptedEnv));
        encryptedEnv.put("FERRY_WORKDIR", encryptedImport.toString());
        phases.put("ferry.download.encrypted", step("download", encryptedEnv));
        deleteRecursively(encryptedImport);
        Map<String, String> restoreEnv = ferrySettings(target, "ferry_" + tag, ferryImport);
        tools.binDir().ifPresent(dir -> restoreEnv.put("FERRY_RESTORE_PG_BIN_DIR", dir.toString()));
        Timed restore = step("restore", restoreEnv);
        phases.put("ferry.restore", restore);
        analyzeSeconds(restore.output()).ifPresent(s -> phases.put("ferry.restore.analyze", new Timed(s, 0, "")));
        phases.put("ferry.validate", step("validate", restoreEnv));
        // The same ceiling for import: a download into a new workspace while restore loads a copy of the first one
        // (a workspace of its own, as a rerun's state must not carry over) into another database.
        Path overlapImport = work.resolve("ferry-import-overlap-" + tag);
        Path overlapRestored = copyOf(ferryImport, work.resolve("ferry-import-copy-" + tag));
        Map<String, String> overlapDownloadEnv = new HashMap<>(s3Env);
        overlapDownloadEnv.put("FERRY_WORKDIR", overlapImport.toString());
        target.createDatabase("overlap_" + tag);
        Map<String, String> overlapRestoreEnv = new HashMap<>(restoreEnv);
        overlapRestoreEnv.putAll(ferrySettings(target, "overlap_" + tag, overlapRestored));
        phases.put(
                "overlap.import",
                together(() -> step("download", overlapDownloadEnv), () -> step("restore", overlapRestoreEnv)));
        deleteRecursively(overlapImport);
        deleteRecursively(overlapRestored);
        // What content validation costs: the same target compared by sample and by counts, and the dump
        // once more without its digests (they are read in its snapshot while pg_dump runs).
        for (String content : List.of("full", "sample", "counts")) {
            Map<String, String> validateEnv = new HashMap<>(restoreEnv);
            validateEnv.put("FERRY_VALIDATE_CONTENT", content);
            phases.put("ferry.validate." + content, step("validate", validateEnv));
        }
        Path undigested = work.resolve("ferry-export-nodigests-" + tag);
        Map<String, String> undigestedEnv = ferrySettings(source, "onyx", undigested);
        tools.binDir().ifPresent(dir -> undigestedEnv.put("FERRY_DUMP_PG_BIN_DIR", dir.toString()));
        undigestedEnv.put("FERRY_DUMP_CONTENT_DIGESTS", "false");
        phases.put("ferry.dump.nodigests", step("dump", undigestedEnv));
        deleteRecursively(undigested);

        // Cutover, one cluster reaching both databases, no object storage.
        target.createDatabase("pipe_" + tag);
        phases.put(
                "cutover.pipe",
                Timed.run(
                        List.of(
                                "sh",
                                "-c",
                                "\"$1\" -Fc | \"$2\" --no-owner --no-privileges -d \"$3\"",
                                "pipe",
                                tools.program("pg_dump"),
                                tools.program("pg_restore"),
                                pgConnInfo(target, "pipe_" + tag)),
                        passfileEnv(source, "onyx"),
                        work));
        if (pgcopydb) {
            target.createDatabase("pgcopydb_" + tag);
            phases.put("cutover.pgcopydb", pgcopydbClone(tools, tag));
        }
        for (String database : List.of("runbook_", "ferry_", "overlap_", "pipe_", "pgcopydb_")) {
            dropDatabase(database + tag);
        }
        deleteRecursively(ferryExport);
        deleteRecursively(ferryImport);
        Files.deleteIfExists(work.resolve("runbook-" + tag + ".pgdump"));
        Files.deleteIfExists(work.resolve("down-" + tag + ".pgdump"));
        System.err.printf(Locale.ROOT, "run %d with %s done%n", run, tools.pgDumpVersion());
        return new Run(phases, runbookDumpBytes, ferryDumpBytes, compressedBytes);
    }

    /** The runbook's export: {@code pg_dump -Fc -Z 6}, then {@code aws s3 cp} up where the AWS CLI is. */
    private Path runbookExport(ClientTools tools, String tag, Map<String, Timed> phases) {
        Path dump = work.resolve("runbook-" + tag + ".pgdump");
        phases.put(
                "runbook.dump",
                Timed.run(
                        List.of(tools.program("pg_dump"), "-Fc", "-Z", "6", "-f", dump.toString()),
                        pgEnv(source, "onyx"),
                        work));
        if (aws) {
            phases.put(
                    "runbook.upload",
                    Timed.run(awsCp(dump.toString(), "s3://" + BUCKET + "/runbook/" + tag), awsEnv(), work));
        }
        return dump;
    }

    /** The runbook's import into {@code runbook_<tag>}: {@code aws s3 cp} down where the AWS CLI is, {@code pg_restore}. */
    private void runbookImport(ClientTools tools, String tag, Path dump, Map<String, Timed> phases) throws Exception {
        target.createDatabase("runbook_" + tag);
        Path restored = dump;
        if (aws) {
            restored = work.resolve("down-" + tag + ".pgdump");
            phases.put(
                    "runbook.download",
                    Timed.run(awsCp("s3://" + BUCKET + "/runbook/" + tag, restored.toString()), awsEnv(), work));
        }
        phases.put(
                "runbook.restore",
                Timed.run(
                        List.of(
                                tools.program("pg_restore"),
                                "--no-owner",
                                "--no-privileges",
                                "-d",
                                "runbook_" + tag,
                                restored.toString()),
                        pgEnv(target, "runbook_" + tag),
                        work));
    }

    /**
     * pg_dump -Fc with each compression this pg_dump offers (gzip levels before 16; zstd and lz4 from 16), its time
     * as phase {@code compression.<choice>} and its size: what FERRY_DUMP_COMPRESSION trades.
     */
    private Map<String, Long> compressionChoices(ClientTools tools, String tag, Map<String, Timed> phases) {
        List<String> choices =
                tools.major() >= 16 ? List.of("0", "1", "6", "lz4", "zstd:1", "zstd:3") : List.of("0", "1", "6");
        Map<String, Long> bytes = new LinkedHashMap<>();
        for (String choice : choices) {
            Path file = work.resolve("compression-" + tag + ".pgdump");
            phases.put(
                    "compression." + choice,
                    Timed.run(
                            List.of(tools.program("pg_dump"), "-Fc", "--compress=" + choice, "-f", file.toString()),
                            pgEnv(source, "onyx"),
                            work));
            try {
                bytes.put(choice, Files.size(file));
                Files.delete(file);
            } catch (IOException e) {
                throw new IllegalStateException("pg_dump --compress=" + choice + " left no file: " + e.getMessage(), e);
            }
        }
        return bytes;
    }

    /**
     * Two programs started at the same moment: the wall time until both have ended (the makespan), and the larger
     * peak RSS. Against the same two one after the other, it bounds what overlapping them can gain here.
     */
    private static Timed together(Supplier<Timed> first, Supplier<Timed> second) {
        long started = System.nanoTime();
        CompletableFuture<Timed> other = CompletableFuture.supplyAsync(second);
        Timed one = first.get();
        Timed two = other.join();
        return new Timed((System.nanoTime() - started) / 1e9, Math.max(one.peakRssKb(), two.peakRssKb()), "");
    }

    /** The keyset the encrypted transfers use: one per benchmark, handed to the steps through their environment only. */
    private final Keyset keyset = Keyset.generate();

    private Timed pgcopydbClone(ClientTools tools, String tag) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("PGPASSFILE", passfile.toString());
        tools.binDir().ifPresent(dir -> env.put("PATH", dir + ":" + System.getenv("PATH")));
        Path dir = work.resolve("pgcopydb-" + tag);
        try {
            return Timed.run(
                    List.of(
                            "pgcopydb",
                            "clone",
                            "--source",
                            uri(source, "onyx"),
                            "--target",
                            uri(target, "pgcopydb_" + tag),
                            "--table-jobs",
                            "2",
                            "--index-jobs",
                            "2",
                            "--no-owner",
                            "--no-acl",
                            "--dir",
                            dir.toString()),
                    env,
                    work);
        } finally {
            deleteRecursively(dir);
        }
    }

    private static String line(PostgresServer server) {
        return server.host() + ":" + server.port() + ":*:" + server.superuser() + ":" + server.superuserPassword()
                + "\n";
    }

    private static String uri(PostgresServer server, String database) {
        return "postgres://" + server.superuser() + "@" + server.host() + ":" + server.port() + "/" + database;
    }

    /** FERRY_BENCH_CLASS_CACHE=false runs the steps without their AppCDS archives (the images map them). */
    private static final boolean CLASS_CACHE =
            !"false".equals(System.getenv().getOrDefault("FERRY_BENCH_CLASS_CACHE", "true"));

    private static Map<String, String> withPassedSettings(Map<String, String> env) {
        Map<String, String> settings = new HashMap<>(env);
        // Settings to measure (e.g. FERRY_DUMP_FORMAT=directory) pass through to every step that reads them.
        System.getenv().forEach((name, value) -> {
            if (name.startsWith("FERRY_DUMP_")
                    || name.startsWith("FERRY_RESTORE_")
                    || name.startsWith("FERRY_VALIDATE_")
                    || name.startsWith("FERRY_FOLLOW_")) {
                settings.putIfAbsent(name, value);
            }
        });
        return settings;
    }

    private Timed step(String step, Map<String, String> env) {
        Timed timed = Timed.run(stepCommand(step), withPassedSettings(env), work);
        keepLog(step, timed.output());
        return timed;
    }

    private List<String> stepCommand(String step) {
        return StepProgram.javaCommand(
                root.resolve("steps/" + step + "/target/quarkus-app/quarkus-run.jar"), CLASS_CACHE);
    }

    /** How the follow run runs steps: to their end as every other measure does, or in the background. */
    private FollowMeasurement.Steps steps() {
        return new FollowMeasurement.Steps() {
            @Override
            public Timed run(String step, Map<String, String> env) {
                return step(step, env);
            }

            @Override
            public ProgramRunner.Running start(String step, Map<String, String> env) {
                ProgramRunner.Running running =
                        ProgramRunner.start(stepCommand(step), withPassedSettings(env), line -> {});
                running.output().thenAccept(output -> keepLog(step, output));
                return running;
            }
        };
    }

    /** With FERRY_BENCH_LOGS set to a folder, each step's log lands there, for its phase=… breakdown. */
    private static void keepLog(String step, String output) {
        String folder = System.getenv("FERRY_BENCH_LOGS");
        if (folder == null || folder.isBlank()) {
            return;
        }
        try {
            Path logs = Files.createDirectories(Path.of(folder));
            Files.writeString(logs.resolve(step + "-" + System.nanoTime() + ".log"), output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("cannot keep the " + step + " log in " + folder + ": " + e.getMessage());
        }
    }

    private static final Pattern ANALYZE = Pattern.compile("phase=analyze jobs=\\d+ seconds=([0-9.]+)");

    private static Optional<Double> analyzeSeconds(String output) {
        Matcher matcher = ANALYZE.matcher(output);
        return matcher.find() ? Optional.of(Double.parseDouble(matcher.group(1))) : Optional.empty();
    }

    private long databaseSize() throws Exception {
        try (Connection c = source.connect("onyx");
                Statement sql = c.createStatement();
                ResultSet rs = sql.executeQuery("SELECT pg_database_size(current_database())")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void dropDatabase(String name) throws Exception {
        try (Connection c = target.connect("postgres");
                Statement sql = c.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + name);
        }
    }

    private List<String> awsCp(String from, String to) {
        return List.of("aws", "--endpoint-url", s3.endpoint().toString(), "s3", "cp", "--only-show-errors", from, to);
    }

    private Map<String, String> awsEnv() {
        Map<String, String> env = new HashMap<>(s3.stepEnvironment());
        env.put("AWS_DEFAULT_REGION", S3TestServer.REGION);
        return env;
    }

    /** libpq's own variables for the plain commands; the password through the environment, never argv. */
    private static Map<String, String> pgEnv(PostgresServer server, String database) {
        return Map.of(
                "PGHOST",
                server.host(),
                "PGPORT",
                Integer.toString(server.port()),
                "PGDATABASE",
                database,
                "PGUSER",
                server.superuser(),
                "PGPASSWORD",
                server.superuserPassword());
    }

    /** For pg_restore's -d in the pipe: the target's connection; its password comes from the passfile. */
    private static String pgConnInfo(PostgresServer server, String database) {
        return "host=" + server.host() + " port=" + server.port() + " dbname=" + database + " user="
                + server.superuser();
    }

    private Map<String, String> passfileEnv(PostgresServer server, String database) {
        Map<String, String> env = new HashMap<>(pgEnv(server, database));
        env.remove("PGPASSWORD");
        env.put("PGPASSFILE", passfile.toString());
        return env;
    }

    private static Map<String, String> ferrySettings(PostgresServer server, String database, Path workdir) {
        Map<String, String> settings =
                DatabaseAccess.superuser(server, database).stepEnvironment();
        settings.put("FERRY_WORKDIR", workdir.toString());
        return settings;
    }

    /** A copy of the workspace's manifest and the artifacts it lists: what download hands to restore, no step's state. */
    private static Path copyOf(Path workspace, Path copy) throws IOException {
        Workspace from = Workspace.at(workspace);
        Files.createDirectories(copy);
        Files.copy(from.manifestFile(), copy.resolve(Workspace.MANIFEST));
        for (Manifest.Artifact artifact : from.readManifest().artifacts()) {
            Path file = copy.resolve(workspace.relativize(from.artifactFile(artifact)));
            Files.createDirectories(file.getParent());
            Files.copy(from.artifactFile(artifact), file);
        }
        return copy;
    }

    private static long folderSize(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(file -> file.toFile().length())
                    .sum();
        }
    }

    private static String awsVersion() {
        try {
            Process process = new ProcessBuilder("aws", "--version")
                    .redirectErrorStream(true)
                    .start();
            String line = new String(process.getInputStream().readAllBytes()).strip();
            process.waitFor();
            return line.split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
