package dev.ferry.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.ferry.core.SecretFolder;
import dev.ferry.core.Sha256;
import dev.ferry.core.manifest.Inventory;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.ArtifactKind;
import dev.ferry.core.workspace.DumpFormat;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.pg.PgVersion;
import dev.ferry.testing.ProgramRunner;
import dev.ferry.testing.StepProgram;
import dev.ferry.testing.StepRun;
import dev.ferry.testing.pg.OnyxFixture;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dump program run as a process against a real PostgreSQL 14 holding the Onyx fixture, with
 * Debian's real pg_dump 15: the manifest, the artifacts and their digests, the failure exits.
 */
class DumpIT {

    static final Path PROGRAM = Path.of("target", "quarkus-app", "quarkus-run.jar");
    static final String OWNER = "onyx_owner";
    static final String OWNER_PASSWORD = "owner:pass\\word'1";
    static PostgresServer source;

    @TempDir
    Path workdir;

    @BeforeAll
    static void start() throws Exception {
        source = PostgresServer.start(PgMajor.SOURCE);
        source.createDatabase("onyx");
        try (Connection c = source.connect("onyx")) {
            OnyxFixture.singleTenant().install(c);
        }
        // Onyx's own setup: an application role that owns its database and everything in it, not a superuser.
        source.createLoginRole(OWNER, OWNER_PASSWORD, "CREATEROLE");
        try (Connection admin = source.connect("postgres");
                Statement sql = admin.createStatement()) {
            sql.execute("CREATE DATABASE onyx_mt OWNER " + OWNER + " TEMPLATE template0");
        }
        try (Connection owner = source.connect("onyx_mt", OWNER, OWNER_PASSWORD)) {
            OnyxFixture.multiTenant().install(owner);
        }
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
    }

    Map<String, String> env(String db, String user, String password, int port) {
        Map<String, String> env = new HashMap<>();
        env.put("POSTGRES_HOST", "localhost");
        env.put("POSTGRES_PORT", Integer.toString(port));
        env.put("POSTGRES_DB", db);
        env.put("POSTGRES_USER", user);
        env.put("POSTGRES_PASSWORD", password);
        env.put("FERRY_WORKDIR", workdir.toString());
        env.put("FERRY_RESULTS_DIR", workdir.resolve("results").toString());
        return env;
    }

    Map<String, String> superuserEnv(String db) {
        return env(db, PostgresServer.SUPERUSER, source.superuserPassword(), source.port());
    }

    static StepRun run(Map<String, String> env) {
        return StepProgram.at(PROGRAM).run(env, Duration.ofMinutes(3));
    }

    String result(String name) throws IOException {
        return Files.readString(workdir.resolve("results").resolve(name));
    }

    @Test
    void dumps_the_single_tenant_database_in_custom_format_with_a_complete_manifest() throws Exception {
        StepRun outcome = run(superuserEnv("onyx"));

        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        assertThat(outcome.output())
                .contains("phase=inventory")
                .contains("progress phase=dump")
                .contains("done=true")
                .contains("step=dump outcome=done")
                .contains("migration=onyx-")
                .doesNotContain(source.superuserPassword());

        Manifest manifest = Workspace.at(workdir).readManifest();
        assertThat(manifest.formatVersion()).isEqualTo(Manifest.FORMAT_VERSION);
        assertThat(manifest.migrationId()).matches("onyx-\\d{8}T\\d{6}Z").isEqualTo(result("migration-id"));
        assertThat(manifest.source().serverVersion()).startsWith(PgMajor.SOURCE.majorVersion() + ".");
        assertThat(manifest.source().serverMajorVersion()).isEqualTo(PgMajor.SOURCE.majorVersion());
        assertThat(manifest.source().database()).isEqualTo("onyx");
        assertThat(manifest.source().pgDumpVersion()).matches("\\d+\\.\\d+");
        // Unset compression is the fast choice the client allows: gzip level 1 with pg_dump 15.
        assertThat(manifest.dump().format()).isEqualTo(DumpFormat.CUSTOM);
        assertThat(manifest.dump().compression()).isEqualTo("1");
        assertThat(manifest.dump().jobs()).isEqualTo(1);
        assertThat(manifest.dump().snapshot().id()).isNotBlank();
        assertThat(manifest.dump().snapshot().writesAfter()).isEmpty();

        Path dumpFile = workdir.resolve("dump.pgdump");
        Path globals = workdir.resolve("globals.sql");
        assertThat(manifest.artifacts())
                .containsExactly(
                        new Manifest.Artifact(
                                "dump.pgdump", ArtifactKind.DUMP, Files.size(dumpFile), Sha256.of(dumpFile)),
                        new Manifest.Artifact(
                                "globals.sql", ArtifactKind.GLOBALS, Files.size(globals), Sha256.of(globals)));
        // By default the roles travel, and a superuser's globals.sql carries their password hashes.
        assertThat(manifest.dump().globalsRolePasswords()).isTrue();
        assertThat(Files.readString(globals))
                .containsPattern("ALTER ROLE " + OnyxFixture.READONLY_ROLE + " WITH .*LOGIN.* PASSWORD 'SCRAM-SHA-256");
        assertThat(result("dump-sha256")).isEqualTo(Sha256.of(dumpFile));
        assertThat(result("dump-bytes")).isEqualTo(Long.toString(Files.size(dumpFile)));
        assertThat(result("manifest-sha256")).isEqualTo(Sha256.of(workdir.resolve("manifest.json")));

        OnyxFixture fixture = OnyxFixture.singleTenant();
        Inventory inventory = manifest.inventory();
        assertThat(inventory.tables())
                .extracting(Inventory.TableRows::qualifiedName, Inventory.TableRows::rows)
                .contains(tuple("public.user", (long) fixture.users()), tuple("public.chat_message", (long)
                        fixture.chatMessages()));
        // Sizes on the source's disk, which restore plans its parallel loads on.
        assertThat(inventory.tables())
                .filteredOn(table -> table.name().equals("chat_message"))
                .singleElement()
                .satisfies(table -> assertThat(table.bytes()).isGreaterThan(8192));
        assertThat(result("tables"))
                .isEqualTo(Integer.toString(inventory.tables().size()));
        assertThat(inventory.largeObjects()).isEqualTo(fixture.largeObjectsPerSchema());
        assertThat(inventory.alembicVersions()).containsEntry("public", List.of(OnyxFixture.ALEMBIC_HEAD));
        assertThat(inventory.roles()).contains(OnyxFixture.READONLY_ROLE);

        // The file is a real custom-format archive holding the tables and the large objects.
        String toc = pgRestoreList(dumpFile);
        assertThat(toc)
                .contains("TABLE DATA public user")
                .contains("TABLE DATA public chat_message")
                .contains("BLOB")
                .contains("EXTENSION - pg_trgm");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void dumps_the_multi_tenant_database_as_directory_with_jobs_and_globals_as_a_non_superuser() throws Exception {
        Map<String, String> env = env("onyx_mt", OWNER, OWNER_PASSWORD, source.port());
        env.put("FERRY_DUMP_FORMAT", "directory");
        env.put("FERRY_DUMP_JOBS", "2");
        env.put("FERRY_DUMP_COMPRESSION", "9");
        env.put("FERRY_DUMP_GLOBALS", "true");
        env.put("FERRY_MIGRATION_ID", "rehearsal-42");

        StepRun outcome = run(env);

        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        assertThat(outcome.output())
                .contains("dumping roles without passwords")
                .contains("role_passwords=omitted")
                .doesNotContain("owner:pass");
        Manifest manifest = Workspace.at(workdir).readManifest();
        assertThat(manifest.migrationId()).isEqualTo("rehearsal-42");
        assertThat(manifest.dump())
                .isEqualTo(new Manifest.DumpSettings(
                        DumpFormat.DIRECTORY, "9", 2, true, manifest.dump().snapshot(), false));
        assertThat(manifest.inventory().schemas()).containsAll(OnyxFixture.TENANT_SCHEMAS);
        assertThat(manifest.inventory().alembicVersions()).hasSize(3);
        assertThat(manifest.inventory().largeObjects())
                .isEqualTo(2L * OnyxFixture.multiTenant().largeObjectsPerSchema());

        assertThat(manifest.artifacts())
                .extracting(Manifest.Artifact::path)
                .contains("dump.dir/toc.dat", "globals.sql");
        for (Manifest.Artifact artifact : manifest.artifacts()) {
            Path file = workdir.resolve(artifact.path());
            assertThat(artifact.size()).as(artifact.path()).isEqualTo(Files.size(file));
            assertThat(artifact.sha256()).as(artifact.path()).isEqualTo(Sha256.of(file));
        }
        try (Stream<Path> files = Files.list(workdir.resolve("dump.dir"))) {
            assertThat(files.count())
                    .as("every file of the directory dump is an artifact")
                    .isEqualTo(manifest.artifacts().stream()
                            .filter(a -> a.kind() == ArtifactKind.DUMP)
                            .count());
        }
        assertThat(Files.readString(workdir.resolve("globals.sql")))
                .contains("CREATE ROLE " + OnyxFixture.READONLY_ROLE);
        assertThat(pgRestoreList(workdir.resolve("dump.dir")))
                .contains("TABLE DATA " + OnyxFixture.TENANT_SCHEMAS.get(0) + " user");
        assertThat(workdir.resolve("results").resolve("dump-sha256")).doesNotExist();
    }

    @Test
    void a_rerun_replaces_the_dump_and_its_manifest_consistently() throws Exception {
        Map<String, String> first = superuserEnv("onyx");
        first.put("FERRY_DUMP_GLOBALS", "true");
        assertThat(run(first).exitCode()).isZero();
        assertThat(workdir.resolve("globals.sql")).exists();

        Map<String, String> second = superuserEnv("onyx");
        second.put("FERRY_DUMP_FORMAT", "directory");
        second.put("FERRY_DUMP_GLOBALS", "false");
        StepRun outcome = run(second);

        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        Manifest manifest = Workspace.at(workdir).readManifest();
        assertThat(manifest.dump().format()).isEqualTo(DumpFormat.DIRECTORY);
        assertThat(workdir.resolve("globals.sql"))
                .as("a globals file of the earlier run would not match")
                .doesNotExist();
        assertThat(workdir.resolve("dump.pgdump"))
                .as("the earlier custom-format dump is gone")
                .doesNotExist();
        for (Manifest.Artifact artifact : manifest.artifacts()) {
            assertThat(Sha256.of(workdir.resolve(artifact.path()))).isEqualTo(artifact.sha256());
        }
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void a_rerun_keeps_the_freeze_record_and_a_failed_rerun_keeps_the_earlier_dump() throws Exception {
        assertThat(run(superuserEnv("onyx")).exitCode()).isZero();
        Manifest.Freeze freeze = new Manifest.Freeze(
                "onyx",
                java.time.Instant.parse("2026-11-25T00:00:00Z"),
                List.of(new Manifest.FrozenWorkload("Deployment", "onyx-api-server", 3)));
        Workspace.at(workdir).writeManifest(Workspace.at(workdir).readManifest().withFreeze(freeze));

        assertThat(run(superuserEnv("onyx")).exitCode()).isZero();
        assertThat(Workspace.at(workdir).readManifest().freeze()).isEqualTo(freeze);

        String before = Files.readString(workdir.resolve("manifest.json"));
        StepRun failed = run(env("onyx", PostgresServer.SUPERUSER, "wrong", source.port()));
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(2);
        assertThat(Files.readString(workdir.resolve("manifest.json"))).isEqualTo(before);
    }

    @Test
    void a_compression_method_pg_dump_cannot_write_is_refused_before_the_earlier_dump_is_touched() throws Exception {
        String version = new String(new ProcessBuilder("pg_dump", "--version")
                .start()
                .getInputStream()
                .readAllBytes());
        org.junit.jupiter.api.Assumptions.assumeTrue(
                PgVersion.parseToolVersion(version).majorKey() < 1600, "needs a pg_dump older than 16: " + version);
        assertThat(run(superuserEnv("onyx")).exitCode()).isZero();
        String before = Files.readString(workdir.resolve("manifest.json"));
        Map<String, String> zstd = superuserEnv("onyx");
        zstd.put("FERRY_DUMP_COMPRESSION", "zstd");

        StepRun refused = run(zstd);

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.failureLine())
                .contains("FERRY_DUMP_COMPRESSION \"zstd\" needs pg_dump 16 or newer, and pg_dump here is 15.");
        assertThat(Files.readString(workdir.resolve("manifest.json"))).isEqualTo(before);
    }

    @Test
    void sigterm_during_pg_dump_stops_it_removes_the_passfile_and_ends_with_the_outcome_line(@TempDir Path bin)
            throws Exception {
        // The real pg_dump, held back long enough to be stopped mid-dump, as the kubelet stops a cancelled TaskRun.
        Path wrapper = bin.resolve("pg_dump");
        Files.writeString(wrapper, """
                #!/bin/sh
                if [ "$1" = "--version" ]; then exec pg_dump --version; fi
                sleep 120
                exec pg_dump "$@"
                """);
        wrapper.toFile().setExecutable(true);
        Map<String, String> env = superuserEnv("onyx");
        env.put("FERRY_DUMP_PG_BIN_DIR", bin.toString());
        env.put("FERRY_PROGRESS_INTERVAL", "1s");
        java.util.concurrent.CountDownLatch dumping = new java.util.concurrent.CountDownLatch(1);

        ProgramRunner.Running running = ProgramRunner.start(StepProgram.javaCommand(PROGRAM), env, line -> {
            if (line.contains("progress phase=dump")) {
                dumping.countDown(); // logged from the wait loop, so pg_dump's process is running
            }
        });
        assertThat(dumping.await(2, java.util.concurrent.TimeUnit.MINUTES))
                .as("pg_dump started")
                .isTrue();
        List<ProcessHandle> children = running.process().descendants().toList();
        assertThat(children).as("pg_dump and what it started").isNotEmpty();
        // In memory where the system has /dev/shm, in a folder named after the step's process.
        String ownFolder = "ferry-" + running.process().pid() + "-";
        assertThat(passfilesIn(ownFolder)).as("passfile while dumping").hasSize(1);

        running.terminate();
        ProgramRunner.Outcome outcome = running.await(Duration.ofSeconds(30));

        assertThat(outcome.timedOut()).as(outcome.output()).isFalse();
        assertThat(outcome.exitCode()).as(outcome.output()).isEqualTo(143);
        assertThat(outcome.output().lines().reduce((first, second) -> second).orElse(""))
                .startsWith("step=dump outcome=failed exit=143 (stopped by a signal): stopped from outside after ");
        for (ProcessHandle child : children) {
            child.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(child.isAlive()).as("child " + child.pid()).isFalse();
        }
        assertThat(passfilesIn(ownFolder)).as("secret files left behind").isEmpty();
        assertThat(workdir.resolve("manifest.json")).doesNotExist();
    }

    private static List<Path> passfilesIn(String folderPrefix) throws IOException {
        try (Stream<Path> all = Files.walk(SecretFolder.parent(), 2)) {
            return all.filter(f -> f.getParent().getFileName().toString().startsWith(folderPrefix))
                    .filter(f -> f.getFileName().toString().endsWith(".pgpass"))
                    .toList();
        }
    }

    @Test
    void a_wrong_password_exits_2_naming_user_and_password() {
        StepRun outcome = run(env("onyx", OWNER, "not-the-password", source.port()));

        assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(2);
        assertThat(outcome.output())
                .contains("rejected the login of user \"" + OWNER + "\"")
                .contains("check POSTGRES_USER and POSTGRES_PASSWORD")
                .doesNotContain("not-the-password");
        assertThat(workdir.resolve("manifest.json")).doesNotExist();
    }

    @Test
    void an_unreachable_server_exits_2_naming_host_and_port() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        StepRun outcome = run(env("onyx", OWNER, OWNER_PASSWORD, closedPort));

        assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(2);
        assertThat(outcome.output())
                .contains("cannot reach PostgreSQL at localhost:" + closedPort)
                .contains("check POSTGRES_HOST and POSTGRES_PORT");
    }

    @Test
    void a_missing_host_exits_2_naming_the_env_var() {
        Map<String, String> env = superuserEnv("onyx");
        env.remove("POSTGRES_HOST");
        StepRun outcome = run(env);

        assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(2);
        assertThat(outcome.output()).contains("POSTGRES_HOST is not set");
    }

    @Test
    void parallel_jobs_with_the_custom_format_exit_2() {
        Map<String, String> env = superuserEnv("onyx");
        env.put("FERRY_DUMP_JOBS", "4");
        StepRun outcome = run(env);

        assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(2);
        assertThat(outcome.output()).contains("FERRY_DUMP_JOBS=4 needs FERRY_DUMP_FORMAT=directory");
    }

    @Test
    void a_pg_dump_error_is_surfaced_and_leaves_no_dump_behind() throws Exception {
        // A real refusal by the server: pg_dump -j 2 opens three connections, the role may hold one.
        source.createLoginRole("onyx_one_connection", OWNER_PASSWORD, "CONNECTION LIMIT 1");
        try (Connection admin = source.connect("postgres");
                Statement sql = admin.createStatement()) {
            sql.execute("CREATE DATABASE onyx_small OWNER onyx_one_connection TEMPLATE template0");
        }
        try (Connection owner = source.connect("onyx_small", "onyx_one_connection", OWNER_PASSWORD);
                Statement sql = owner.createStatement()) {
            sql.execute("CREATE TABLE note AS SELECT g AS id FROM generate_series(1, 100) g");
        }
        Map<String, String> env = env("onyx_small", "onyx_one_connection", OWNER_PASSWORD, source.port());
        env.put("FERRY_DUMP_FORMAT", "directory");
        env.put("FERRY_DUMP_JOBS", "2");

        StepRun outcome = run(env);

        assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(1);
        // pg_dump's workers share one stderr, so their lines may interleave: match the parts, not their order.
        assertThat(outcome.output()).contains("pg_dump failed (exit 1): ").contains("too many connections");
        assertThat(workdir.resolve("manifest.json")).doesNotExist();
        assertThat(workdir.resolve("dump.dir")).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void a_sharded_onyx_is_refused_naming_the_shards_left_behind_until_each_is_migrated_separately() throws Exception {
        Map<String, String> env = superuserEnv("onyx");
        // As Onyx's ConfigMap carries it into the dump Task's environment.
        env.put("ONYX_DB_SHARDS", "{\"shard-2\": {\"db\": \"onyx_2\"}, \"shard-3\": {\"db\": \"onyx_3\"}}");

        StepRun refused = run(env);

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(3);
        assertThat(refused.output())
                .contains("Onyx is sharded over 3 databases (ONYX_DB_SHARDS) and this export moves only shard default"
                        + " (database onyx): the tenants of shard-2 (database onyx_2), shard-3 (database"
                        + " onyx_3) would stay behind")
                .contains("FERRY_DUMP_SHARDS_MIGRATED_SEPARATELY");
        assertThat(workdir.resolve("manifest.json")).doesNotExist();

        env.put("FERRY_DUMP_SHARDS_MIGRATED_SEPARATELY", "shard-2");
        assertThat(run(env).output()).contains("the tenants of shard-3 (database onyx_3) would stay behind");

        env.put("FERRY_DUMP_SHARDS_MIGRATED_SEPARATELY", "shard-2,shard-3");
        StepRun dumped = run(env);
        assertThat(dumped.exitCode()).as(dumped.toString()).isZero();
    }

    @Test
    void a_server_newer_than_pg_dump_is_refused_with_exit_3() throws Exception {
        try (PostgresServer newer = PostgresServer.start(PgMajor.TARGET)) {
            newer.createDatabase("onyx");
            StepRun outcome = run(env("onyx", PostgresServer.SUPERUSER, newer.superuserPassword(), newer.port()));

            assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(3);
            assertThat(outcome.output())
                    .containsPattern("pg_dump 15\\.\\d+ is older than the source server \\(PostgreSQL "
                            + PgMajor.TARGET.majorVersion() + "\\.\\d+\\)")
                    .contains("use a client image with pg_dump " + PgMajor.TARGET.majorVersion() + " or newer");
            assertThat(workdir.resolve("manifest.json")).doesNotExist();
        }
    }

    private List<Path> leftovers() {
        try (Stream<Path> files = Files.list(workdir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".partial")
                            || p.getFileName().toString().endsWith(".old"))
                    .toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String pgRestoreList(Path dump) throws Exception {
        Process process = new ProcessBuilder("pg_restore", "--list", dump.toString())
                .redirectErrorStream(true)
                .start();
        String toc = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(toc).isZero();
        return toc;
    }
}
