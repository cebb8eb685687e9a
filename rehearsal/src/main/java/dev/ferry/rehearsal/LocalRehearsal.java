package dev.ferry.rehearsal;

import dev.ferry.harness.StepContainers;
import dev.ferry.testing.pg.DatabaseAccess;
import dev.ferry.testing.pg.OnyxFixture;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import dev.ferry.testing.s3.S3TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The README's first command: a complete local rehearsal of a migration on this machine. Embedded
 * source PostgreSQL with Onyx-shaped data (or a real one given by SOURCE_POSTGRES_*), an S3 server
 * (or a real one given by AWS_ENDPOINT_URL_S3), an embedded target of a newer major version, then
 * {@code pipelines/tekton/rehearsal.yaml} through the local pipeline harness, each step the locally
 * built program, or with {@code FERRY_REHEARSAL_IMAGES=true} its locally built image run as the Task's YAML says
 * (images/README.md). Prints each TaskRun's duration and the validation table; exits with the first failed
 * step's exit code.
 */
public final class LocalRehearsal {

    static final String DATABASE = "onyx";
    static final String BUCKET = "ferry-rehearsal";
    static final String SCRATCH_DATABASE = "ferry_rehearsal_scratch";

    private LocalRehearsal() {}

    public static void main(String[] args) throws Exception {
        Path projectRoot = Path.of(System.getProperty("ferry.project.root", "."))
                .toAbsolutePath()
                .normalize();
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(ZoneOffset.UTC)
                .format(Instant.now());
        Path workdir = Path.of(env("FERRY_REHEARSAL_DIR").orElse("ferry-rehearsal/" + stamp))
                .toAbsolutePath();
        Files.createDirectories(workdir);
        long setupStarted = System.nanoTime();
        int exitCode;
        try (Resources parts = new Resources()) {
            DatabaseAccess source = env("SOURCE_POSTGRES_HOST").isPresent() ? externalSource() : parts.embeddedSource();
            Map<String, String> objectStorage =
                    env("AWS_ENDPOINT_URL_S3").isPresent() ? externalObjectStorage() : parts.embeddedObjectStorage();
            // Its own name, never the source's: the pipeline drops it at the end, and a real source's
            // database may well be "postgres", the scratch server's maintenance database.
            DatabaseAccess target = parts.embeddedTarget(SCRATCH_DATABASE);
            say(String.format(
                    Locale.ROOT,
                    "rehearsal: parts ready in %.1fs: source=%s target=%s s3=%s workdir=%s",
                    (System.nanoTime() - setupStarted) / 1e9,
                    source,
                    target,
                    objectStorage.get("AWS_ENDPOINT_URL_S3"),
                    workdir));

            Rehearsal rehearsal =
                    new Rehearsal(projectRoot, workdir, source, target, objectStorage, LocalRehearsal::say);
            boolean inImages =
                    Boolean.parseBoolean(env("FERRY_REHEARSAL_IMAGES").orElse("false"));
            if (inImages) {
                Path containersConf = Path.of(env("CONTAINERS_CONF")
                        .orElse(projectRoot.resolve("images/containers.conf").toString()));
                rehearsal.inImages(new StepContainers("local", containersConf));
            }
            RehearsalReport report = rehearsal.run();

            say("");
            say("TaskRuns of " + Rehearsal.PIPELINE
                    + (inImages
                            ? " (each step ran in its image, as its Task runs it):"
                            : " (each step ran as its own program):"));
            say(report.phaseTable());
            report.validationMarkdown().ifPresent(markdown -> {
                say("Validation (" + report.importWorkdir().resolve("report/validation.md") + "):");
                say(markdown);
            });
            report.encryption()
                    .ifPresent(how -> say("objects in the bucket: " + how
                            + " (a keyset generated for this rehearsal, held in its played Secret ferry-encryption)"));
            report.predictedDowntime()
                    .ifPresent(downtime -> say("predicted downtime: " + downtime + " (how it adds up: the Outage row"
                            + " above; timeline: " + report.importWorkdir().resolve("report/timeline.svg") + ")"));
            say(
                    report.passed()
                            ? "rehearsal: PASSED"
                            : "rehearsal: FAILED at "
                                    + report.pipelineRun()
                                            .firstFailure()
                                            .map(run -> run.pipelineTask() + " (" + run.reason() + ")")
                                            .orElse("?"));
            exitCode = report.exitCode();
        }
        // Only after every embedded server has stopped: exiting inside the try would leave them running.
        System.exit(exitCode);
    }

    private static DatabaseAccess externalSource() {
        return new DatabaseAccess(
                env("SOURCE_POSTGRES_HOST").orElseThrow(),
                Integer.parseInt(env("SOURCE_POSTGRES_PORT").orElse("5432")),
                env("SOURCE_POSTGRES_DB").orElse("postgres"),
                required("SOURCE_POSTGRES_USER"),
                required("SOURCE_POSTGRES_PASSWORD"));
    }

    private static Map<String, String> externalObjectStorage() {
        Map<String, String> settings = new HashMap<>();
        for (String name : new String[] {
            "AWS_ENDPOINT_URL_S3",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_REGION",
            "FERRY_S3_PATH_STYLE",
            "FERRY_S3_PREFIX",
            "FERRY_S3_CHECKSUM_MODE"
        }) {
            env(name).ifPresent(value -> settings.put(name, value));
        }
        settings.put("FERRY_S3_BUCKET", required("FERRY_S3_BUCKET"));
        settings.putIfAbsent("FERRY_S3_PREFIX", "rehearsals");
        return settings;
    }

    /** The embedded parts a rehearsal started, stopped in reverse order however the rehearsal ends. */
    private static final class Resources implements AutoCloseable {
        private PostgresServer sourceServer;
        private PostgresServer targetServer;
        private S3TestServer s3Server;

        DatabaseAccess embeddedSource() throws Exception {
            sourceServer = PostgresServer.start(PgMajor.SOURCE);
            sourceServer.createDatabase(DATABASE);
            OnyxFixture fixture =
                    Boolean.parseBoolean(env("FERRY_REHEARSAL_MULTI_TENANT").orElse("false"))
                            ? OnyxFixture.multiTenant()
                            : OnyxFixture.singleTenant();
            fixture = fixture.withChatMessages(
                    Integer.parseInt(env("FERRY_REHEARSAL_CHAT_MESSAGES").orElse("20000")));
            long started = System.nanoTime();
            try (Connection connection = sourceServer.connect(DATABASE)) {
                fixture.install(connection);
            }
            say(String.format(
                    Locale.ROOT,
                    "rehearsal: source %s loaded with Onyx-shaped data (%s, %d chat messages) in %.1fs",
                    sourceServer,
                    fixture.isMultiTenant() ? "multi-tenant" : "single-tenant",
                    fixture.chatMessages(),
                    (System.nanoTime() - started) / 1e9));
            return DatabaseAccess.superuser(sourceServer, DATABASE);
        }

        DatabaseAccess embeddedTarget(String database) {
            targetServer = PostgresServer.start(PgMajor.TARGET);
            return DatabaseAccess.superuser(targetServer, database);
        }

        Map<String, String> embeddedObjectStorage() throws Exception {
            s3Server = S3TestServer.startTransient();
            s3Server.createBucket(BUCKET);
            Map<String, String> settings = new HashMap<>(s3Server.stepEnvironment());
            settings.put("FERRY_S3_BUCKET", BUCKET);
            settings.put("FERRY_S3_PREFIX", "rehearsals");
            return settings;
        }

        @Override
        public void close() {
            if (targetServer != null) {
                targetServer.close();
            }
            if (s3Server != null) {
                try {
                    s3Server.close();
                } catch (Exception e) {
                    System.err.println("rehearsal: the S3 server did not stop cleanly: " + e);
                }
            }
            if (sourceServer != null) {
                sourceServer.close();
            }
        }
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(value -> !value.isBlank());
    }

    private static String required(String name) {
        return env(name).orElseThrow(() -> new IllegalArgumentException(name + " is not set"));
    }

    private static void say(String line) {
        System.out.println(line);
    }
}
