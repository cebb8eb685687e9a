package dev.ferry.restore;

import dev.ferry.core.Sha256;
import dev.ferry.core.manifest.Inventory;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.ArtifactKind;
import dev.ferry.core.workspace.DumpFormat;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.pg.InventoryReader;
import dev.ferry.pg.PgEndpoint;
import dev.ferry.pg.PgPassfile;
import dev.ferry.pg.PgTool;
import dev.ferry.pg.PgToolRunner;
import dev.ferry.pg.ToolResult;
import dev.ferry.testing.pg.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A workspace as the dump step leaves it, made with the real Debian pg_dump (custom format) and
 * pg_dumpall through core's tool runner, and a manifest whose inventory InventoryReader took from
 * the source: the input restore gets in a pipeline.
 */
final class SourceDump {

    static final String DUMP_FILE = "onyx.dump";
    static final String GLOBALS_FILE = "globals.sql";

    private SourceDump() {}

    static Manifest write(Path workdir, PostgresServer source, String database, boolean withGlobals) throws Exception {
        Files.createDirectories(workdir);
        PgEndpoint endpoint = new PgEndpoint(
                source.host(),
                source.port(),
                database,
                source.superuser(),
                Optional.of(source.superuserPassword()),
                Optional.empty(),
                Optional.empty());
        List<Manifest.Artifact> artifacts = new ArrayList<>();
        try (PgPassfile passfile = PgPassfile.write(source.superuser(), source.superuserPassword())) {
            PgToolRunner tools = new PgToolRunner(
                    endpoint, Optional.empty(), "TEST_PG_BIN", Optional.of(passfile.path()), "ferry-test");
            Path dump = workdir.resolve(DUMP_FILE);
            succeeded(tools.run(
                    PgTool.PG_DUMP, List.of("-Fc", "--no-password", "--file=" + dump), Duration.ofMinutes(5)));
            artifacts.add(new Manifest.Artifact(DUMP_FILE, ArtifactKind.DUMP, Files.size(dump), Sha256.of(dump)));
            if (withGlobals) {
                Path globals = workdir.resolve(GLOBALS_FILE);
                succeeded(tools.run(
                        PgTool.PG_DUMPALL,
                        List.of("--globals-only", "--no-password", "--file=" + globals),
                        Duration.ofMinutes(1)));
                artifacts.add(new Manifest.Artifact(
                        GLOBALS_FILE, ArtifactKind.GLOBALS, Files.size(globals), Sha256.of(globals)));
            }
        }
        Inventory inventory;
        try (Connection connection = source.connect(database)) {
            inventory = new InventoryReader().read(connection);
        }
        Manifest manifest = new Manifest(
                Manifest.FORMAT_VERSION,
                "test-" + database,
                Instant.now(),
                new Manifest.Source(
                        String.valueOf(source.serverVersionNum()),
                        source.major().majorVersion(),
                        database,
                        "15"),
                new Manifest.DumpSettings(DumpFormat.CUSTOM, "default", 1, withGlobals),
                artifacts,
                inventory,
                null,
                null);
        Workspace.at(workdir).writeManifest(manifest);
        return manifest;
    }

    private static void succeeded(ToolResult result) {
        if (!result.succeeded()) {
            throw new AssertionError(result.tool() + " failed: " + result.stderr());
        }
    }
}
