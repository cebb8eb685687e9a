package dev.ferry.rehearsal;

import dev.ferry.testing.ProgramRunner;
import dev.ferry.testing.StepProgram;
import dev.ferry.testing.pg.OnyxFixture;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import dev.ferry.testing.s3.S3TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Measures Ferry's steps against the manual runbook's plain commands on the same data in the same
 * run: {@code pg_dump -Fc} vs dump, {@code pg_restore} vs restore, {@code aws s3 cp} vs upload (when
 * the AWS CLI is installed). Prints seconds and the ratio Ferry/runbook per phase; Ferry's steps do
 * more (inventory, SHA-256, verification), and the ratio says what that costs.
 *
 * <p>{@code bin/ferry-benchmark} runs it; FERRY_BENCH_CHAT_MESSAGES sets the data size (default 200000).
 */
public final class RunbookBenchmark {

    private static final Duration TIMEOUT = Duration.ofMinutes(60);

    private RunbookBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("ferry.project.root", "."))
                .toAbsolutePath()
                .normalize();
        int messages = Integer.parseInt(System.getenv().getOrDefault("FERRY_BENCH_CHAT_MESSAGES", "200000"));
        Path work = Files.createTempDirectory("ferry-bench-");
        List<String> rows = new ArrayList<>();
        try (PostgresServer source = PostgresServer.start(PgMajor.SOURCE);
                PostgresServer target = PostgresServer.start(PgMajor.TARGET);
                S3TestServer s3 = S3TestServer.startTransient()) {
            OnyxFixture.singleTenant().withChatMessages(messages).installInto(source, "onyx");
            s3.createBucket("bench");
            Map<String, String> sourceEnv = pgEnv(source, "onyx");

            Path plainDump = work.resolve("plain.pgdump");
            double runbookDump = time(List.of("pg_dump", "-Fc", "-f", plainDump.toString()), sourceEnv);
            Map<String, String> dumpEnv = new HashMap<>(postgresSettings(source, "onyx"));
            dumpEnv.put("FERRY_WORKDIR", work.resolve("ferry").toString());
            double ferryDump = step(root, "dump", dumpEnv);
            rows.add(row("dump (pg_dump -Fc)", runbookDump, ferryDump));

            Map<String, String> s3Env = new HashMap<>(s3.stepEnvironment());
            s3Env.put("FERRY_S3_BUCKET", "bench");
            s3Env.put("FERRY_WORKDIR", work.resolve("ferry").toString());
            double ferryUpload = step(root, "upload", s3Env);
            if (onPath("aws")) {
                Map<String, String> awsEnv = new HashMap<>(s3.stepEnvironment());
                awsEnv.put("AWS_DEFAULT_REGION", S3TestServer.REGION);
                double runbookUpload = time(
                        List.of(
                                "aws",
                                "--endpoint-url",
                                s3.endpoint().toString(),
                                "s3",
                                "cp",
                                plainDump.toString(),
                                "s3://bench/plain/plain.pgdump"),
                        awsEnv);
                rows.add(row("upload (aws s3 cp)", runbookUpload, ferryUpload));
            } else {
                rows.add(String.format(Locale.ROOT, "| upload (aws s3 cp) | not installed | %.1f | — |", ferryUpload));
            }

            target.createDatabase("plain");
            double runbookRestore = time(
                    List.of("pg_restore", "--no-owner", "--no-privileges", "-d", "plain", plainDump.toString()),
                    pgEnv(target, "plain"));
            Map<String, String> restoreEnv = new HashMap<>(postgresSettings(target, "onyx"));
            restoreEnv.put("FERRY_WORKDIR", work.resolve("ferry").toString());
            double ferryRestore = step(root, "restore", restoreEnv);
            rows.add(row("restore (pg_restore)", runbookRestore, ferryRestore));
            double ferryValidate = step(root, "validate", restoreEnv);
            rows.add(String.format(Locale.ROOT, "| validate | (by hand: none) | %.1f | — |", ferryValidate));
        }
        System.out.printf(
                Locale.ROOT,
                "%nRunbook commands vs Ferry steps, %d chat messages, same machine, same run:%n%n",
                messages);
        System.out.println("| phase | runbook s | Ferry s | Ferry/runbook |");
        System.out.println("| --- | ---: | ---: | ---: |");
        rows.forEach(System.out::println);
    }

    private static String row(String phase, double runbook, double ferry) {
        return String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.2f |", phase, runbook, ferry, ferry / runbook);
    }

    private static double step(Path root, String step, Map<String, String> env) {
        long started = System.nanoTime();
        ProgramRunner.Outcome run = ProgramRunner.run(
                StepProgram.javaCommand(root.resolve("steps/" + step + "/target/quarkus-app/quarkus-run.jar")),
                env,
                TIMEOUT,
                line -> {});
        if (run.timedOut() || run.exitCode() != 0) {
            throw new IllegalStateException(
                    step + (run.timedOut() ? " timed out after " + TIMEOUT : " exited " + run.exitCode()) + ":\n"
                            + run.output());
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private static double time(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(env);
        long started = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT.toMinutes(), TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
        return (System.nanoTime() - started) / 1e9;
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

    private static Map<String, String> postgresSettings(PostgresServer server, String database) {
        Map<String, String> settings = new HashMap<>(
                Map.of("POSTGRES_USER", server.superuser(), "POSTGRES_PASSWORD", server.superuserPassword()));
        settings.putAll(new DatabaseAccess(
                        server.host(), server.port(), database, server.superuser(), server.superuserPassword())
                .configMapData());
        return settings;
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
