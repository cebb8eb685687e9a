package dev.ferry.dump;

import dev.ferry.core.ByteSizes;
import dev.ferry.core.Sha256;
import dev.ferry.core.StepCommand;
import dev.ferry.core.StepResults;
import dev.ferry.core.config.FerryConfig;
import dev.ferry.core.config.PostgresConfig;
import dev.ferry.core.kube.FreezeRecord;
import dev.ferry.core.manifest.Inventory;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.manifest.ManifestStore;
import dev.ferry.core.pg.InventoryReader;
import dev.ferry.core.pg.PgConnector;
import dev.ferry.core.pg.PgEndpoint;
import dev.ferry.core.pg.PgPassfile;
import dev.ferry.core.pg.PgTool;
import dev.ferry.core.pg.PgToolRunner;
import dev.ferry.core.pg.PgVersion;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The dump step: pre-flight, inventory of the source, pg_dump (and optionally pg_dumpall
 * --globals-only), SHA-256 of every artifact, then manifest.json, written last because its presence
 * is what marks the dump complete.
 */
public class DumpCommand extends StepCommand {

    private static final Logger LOG = Logger.getLogger(DumpCommand.class);
    private static final String APPLICATION_NAME = "ferry-dump";

    @Inject
    DumpConfig config;

    @Inject
    FerryConfig ferry;

    @Inject
    PostgresConfig postgres;

    @Override
    protected String stepName() {
        return "dump";
    }

    @Override
    protected void execute(String... args) throws Exception {
        Preflight.checkSettings(config);
        PgEndpoint endpoint = PgEndpoint.from(postgres);
        Path workdir = ferry.workdir().toAbsolutePath();
        Files.createDirectories(workdir);

        Manifest.Freeze earlierFreeze = previousFreeze(workdir);

        Optional<PgPassfile> passfile = endpoint.password().map(p -> PgPassfile.write(endpoint.user(), p));
        try {
            PgToolRunner runner = new PgToolRunner(endpoint, config.pgBinDir(), "FERRY_DUMP_PG_BIN_DIR",
                    passfile.map(PgPassfile::path), APPLICATION_NAME);
            dump(endpoint, runner, workdir, earlierFreeze);
        } finally {
            passfile.ifPresent(PgPassfile::close);
        }
    }

    private void dump(PgEndpoint endpoint, PgToolRunner runner, Path workdir, Manifest.Freeze earlierFreeze)
            throws Exception {
        PgVersion pgDump = runner.version(PgTool.PG_DUMP);
        SourceServer server;
        Inventory inventory;
        try (Connection connection = new PgConnector(endpoint, APPLICATION_NAME).open()) {
            server = SourceServer.describe(connection);
            LOG.infof("phase=connect server=%s database=%s server_version=%s pg_dump=%s superuser=%s",
                    endpoint.host() + ":" + endpoint.port(), endpoint.database(), server.versionText(), pgDump,
                    server.superuser());
            Preflight.checkVersions(pgDump, server);
            long started = System.nanoTime();
            inventory = new InventoryReader().read(connection);
            LOG.infof("phase=inventory schemas=%d tables=%d rows=%d sequences=%d large_objects=%d extensions=%d "
                    + "roles=%d database_size=%s seconds=%.1f", inventory.schemas().size(), inventory.tables().size(),
                    totalRows(inventory), inventory.sequences().size(), inventory.largeObjects(),
                    inventory.extensions().size(), inventory.roles().size(),
                    ByteSizes.human(inventory.databaseSizeBytes()), (System.nanoTime() - started) / 1e9);
        }
        Preflight.checkSpace(workdir, inventory.databaseSizeBytes());
        String migrationId = MigrationId.resolve(ferry.migrationId(), endpoint.database(), Instant.now());

        // From here on the workspace changes. The manifest of an earlier run goes first: until this run
        // writes its own, nothing here looks complete. (A run that fails its checks above leaves it alone.)
        Files.deleteIfExists(ManifestStore.pathIn(workdir));
        Path dump = new DatabaseDump(runner, config).run(workdir);
        List<Manifest.Artifact> artifacts = new ArrayList<>(ArtifactDigests.of(workdir, dump, "dump"));
        if (config.globals()) {
            GlobalsDump.Result globals = new GlobalsDump(runner, config.timeout()).run(workdir, endpoint.database());
            artifacts.addAll(ArtifactDigests.of(workdir, globals.file(), "globals"));
        } else {
            // A globals.sql from an earlier run with FERRY_DUMP_GLOBALS=true would not match this dump.
            Files.deleteIfExists(workdir.resolve(GlobalsDump.FILE));
        }

        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, migrationId, Instant.now(),
                new Manifest.Source(server.versionText(), server.version().versionNum() / 10000, endpoint.database(),
                        pgDump.toString()),
                new Manifest.DumpSettings(config.format().label(), config.compression().orElse("default"),
                        config.jobs(), config.globals()),
                artifacts, inventory, earlierFreeze, null);
        ManifestStore.write(workdir, manifest);
        String manifestSha = Sha256.of(ManifestStore.pathIn(workdir));

        long dumpBytes = artifacts.stream().filter(a -> a.kind().equals("dump")).mapToLong(Manifest.Artifact::size).sum();
        StepResults results = new StepResults(ferry.effectiveResultsDir());
        results.write("migration-id", migrationId);
        results.write("dump-bytes", dumpBytes);
        results.write("manifest-sha256", manifestSha);
        if (config.format() == DumpConfig.Format.CUSTOM) {
            results.write("dump-sha256", artifacts.get(0).sha256());
        }
        results.write("tables", inventory.tables().size());
        results.write("source-version", server.versionText());
        LOG.infof("phase=manifest file=%s artifacts=%d sha256=%s", ManifestStore.pathIn(workdir), artifacts.size(),
                manifestSha);
        System.out.printf("dump complete: migration=%s database=%s tables=%d rows=%d dump=%s (%d bytes) artifacts=%d%n",
                migrationId, endpoint.database(), inventory.tables().size(), totalRows(inventory),
                ByteSizes.human(dumpBytes), dumpBytes, artifacts.size());
    }

    private static long totalRows(Inventory inventory) {
        return inventory.tables().stream().mapToLong(Inventory.TableRows::rows).sum();
    }

    /**
     * The frozen writers travel in the manifest, so the new cluster's scale-up knows their counts. In the
     * export pipeline freeze runs before any manifest exists and records them in freeze.json; a rerun of
     * dump finds them in the earlier manifest.
     */
    private static Manifest.Freeze previousFreeze(Path workdir) {
        Optional<Manifest.Freeze> frozen = FreezeRecord.read(workdir);
        if (frozen.isPresent()) {
            return frozen.get();
        }
        if (!Files.exists(ManifestStore.pathIn(workdir))) {
            return null;
        }
        try {
            return ManifestStore.read(workdir).freeze();
        } catch (RuntimeException unreadable) {
            LOG.warnf("phase=preflight note=\"ignoring an unreadable earlier manifest\" error=%s", unreadable.getMessage());
            return null;
        }
    }
}
