package dev.ferry.dump;

import dev.ferry.core.ByteSizes;
import dev.ferry.core.DaemonThreads;
import dev.ferry.core.Sha256;
import dev.ferry.core.StepCommand;
import dev.ferry.core.StepResults;
import dev.ferry.core.StepSummary;
import dev.ferry.core.config.FerryConfig;
import dev.ferry.core.manifest.Inventory;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.ArtifactKind;
import dev.ferry.core.workspace.DumpFormat;
import dev.ferry.core.workspace.MigrationId;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.pg.ExportedSnapshot;
import dev.ferry.pg.InventoryReader;
import dev.ferry.pg.PgConnector;
import dev.ferry.pg.PgEndpoint;
import dev.ferry.pg.PgPassfile;
import dev.ferry.pg.PgTool;
import dev.ferry.pg.PgToolRunner;
import dev.ferry.pg.PgVersion;
import dev.ferry.pg.PostgresConfig;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The dump step: pre-flight, inventory of the source, pg_dump (and optionally pg_dumpall
 * --globals-only), SHA-256 of every artifact, then manifest.json, written last because its presence
 * is what marks the dump complete. In follow mode it first starts the follow ({@link FollowStart}) and dumps in the
 * snapshot of the follow's slot, so the dump is the follow's base copy.
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

    @Inject
    OnyxShardsConfig onyxShards;

    /** The follow this run started (follow mode), until its manifest names it; null otherwise. */
    private FollowStart follow;

    @Override
    protected StepSummary execute(String... args) throws Exception {
        ferry.refuseEphemeralWorkspace();
        Preflight.checkSettings(config);
        Duration progressInterval = ferry.checkedProgressInterval();
        Optional<String> givenId = ferry.givenMigrationId();
        PgEndpoint endpoint = PgEndpoint.from(postgres);
        ShardedInstall.check(
                onyxShards,
                endpoint.database(),
                java.util.Set.copyOf(config.shardsMigratedSeparately().orElse(java.util.List.of())));
        Workspace workspace = Workspace.at(ferry.workdir()).prepare();
        Manifest.Freeze earlierFreeze = previousFreeze(workspace);

        Optional<PgPassfile> passfile = endpoint.password().map(p -> PgPassfile.write(endpoint.user(), p));
        try {
            PgToolRunner runner = new PgToolRunner(
                    endpoint,
                    config.pgBinDir(),
                    "FERRY_DUMP_PG_BIN_DIR",
                    passfile.map(PgPassfile::path),
                    APPLICATION_NAME);
            return dump(endpoint, runner, workspace, givenId, earlierFreeze, progressInterval);
        } catch (Exception | Error failure) {
            // Nothing of a follow may outlive a dump that did not become its base copy.
            if (follow != null) {
                follow.undo();
            }
            throw failure;
        } finally {
            passfile.ifPresent(PgPassfile::close);
        }
    }

    private StepSummary dump(
            PgEndpoint endpoint,
            PgToolRunner runner,
            Workspace workspace,
            Optional<String> givenId,
            Manifest.Freeze earlierFreeze,
            Duration progressInterval)
            throws Exception {
        PgVersion pgDump = runner.version(PgTool.PG_DUMP);
        Preflight.checkCompression(config, pgDump);
        DumpPlan plan = DumpPlan.of(config, pgDump);
        PgConnector connector = new PgConnector(endpoint, APPLICATION_NAME);
        SourceServer server;
        Inventory inventory;
        Path dump;
        Manifest.Snapshot snapshotRecord;
        String snapshotId;
        String migrationId;
        List<Manifest.Artifact> artifacts = new ArrayList<>();
        Boolean rolePasswords = null;
        try (Connection connection = connector.open()) {
            server = SourceServer.describe(connection);
            LOG.infof(
                    "phase=connect server=%s database=%s server_version=%s pg_dump=%s superuser=%s",
                    endpoint.host() + ":" + endpoint.port(),
                    endpoint.database(),
                    server.versionText(),
                    pgDump,
                    server.superuser());
            Preflight.checkVersions(pgDump, server);
            Preflight.checkSpace(workspace.root(), SourceServer.databaseSize(connection));
            migrationId = givenId.orElseGet(() -> MigrationId.generate(endpoint.database(), Instant.now()));

            if (config.follow()) {
                follow = FollowStart.begin(connection, connector, server, config);
            }
            WriteCounters before = WriteCounters.read(connection);
            long snapshotTaken = System.nanoTime();
            // In follow mode the slot's snapshot: the slot holds every change after it, for capture to carry.
            try (ExportedSnapshot snapshot = follow == null
                    ? ExportedSnapshot.export(connection)
                    : ExportedSnapshot.imported(connection, follow.snapshotId())) {
                LOG.infof("phase=snapshot id=%s", snapshot.id());
                // The inventory reads the snapshot while pg_dump does: same moment, and its time is hidden.
                CompletableFuture<Inventory> counted = CompletableFuture.supplyAsync(
                        () -> readInventory(
                                snapshot,
                                follow == null ? connector::open : follow::openSession,
                                plan.jobs(),
                                config.contentDigests()),
                        DumpCommand::runOnOwnThread);
                // From here on the workspace changes. The manifest of an earlier run goes first: until this
                // run writes its own, nothing here looks complete. (A run that fails its checks above leaves it.)
                workspace.removeManifest();
                dump = new DatabaseDump(runner, config, plan, progressInterval).run(workspace, snapshot.id());
                inventory = awaitInventory(counted);
                snapshotId = snapshot.id();
            }
            if (follow != null) {
                follow.snapshotRead();
            }
            // The artifacts' digests and the roles first: a short dump's write counts may not be published yet
            // (WriteCounters.PUBLISH_DELAY), and this is work to do while they are.
            artifacts.addAll(ArtifactDigests.of(workspace, dump, ArtifactKind.DUMP));
            if (config.globals()) {
                GlobalsDump.Result globals =
                        new GlobalsDump(runner, config.timeout()).run(workspace, endpoint.database());
                artifacts.addAll(ArtifactDigests.of(workspace, globals.file(), ArtifactKind.GLOBALS));
                rolePasswords = !globals.rolePasswordsOmitted();
            } else {
                // A globals.sql from an earlier run with FERRY_DUMP_GLOBALS=true would not match this dump.
                Files.deleteIfExists(workspace.globalsFile());
            }
            // Read after the snapshot's transaction ended, once the writers' counts have been published.
            snapshotRecord = new Manifest.Snapshot(
                    snapshotId,
                    WriteCounters.readPublishedSince(connection, snapshotTaken).since(before));
        }
        WritesAfterSnapshot.judge(snapshotRecord, earlierFreeze != null, follow != null);

        Manifest manifest = new Manifest(
                Manifest.FORMAT_VERSION,
                migrationId,
                Instant.now(),
                new Manifest.Source(
                        server.versionText(),
                        server.version().versionNum() / 10000,
                        endpoint.database(),
                        pgDump.toString()),
                new Manifest.DumpSettings(
                        config.format(),
                        plan.compression(),
                        plan.jobs(),
                        config.globals(),
                        snapshotRecord,
                        rolePasswords,
                        follow == null ? null : follow.record()),
                artifacts,
                inventory,
                earlierFreeze,
                null);
        workspace.writeManifest(manifest);
        String manifestSha = Sha256.of(workspace.manifestFile());

        long dumpBytes = manifest.artifacts(ArtifactKind.DUMP).stream()
                .mapToLong(Manifest.Artifact::size)
                .sum();
        StepResults results = new StepResults(ferry.effectiveResultsDir());
        results.write("migration-id", migrationId);
        results.write("dump-bytes", dumpBytes);
        results.write("manifest-sha256", manifestSha);
        if (config.format() == DumpFormat.CUSTOM) {
            results.write("dump-sha256", artifacts.get(0).sha256());
        }
        results.write("tables", inventory.tables().size());
        results.write("source-version", server.versionText());
        // Empty without a follow, so a Pipeline that passes them on works either way.
        results.write(
                "follow-slot", follow == null ? "" : manifest.dump().follow().slot());
        results.write(
                "follow-start-lsn",
                follow == null ? "" : manifest.dump().follow().consistentPoint());
        if (follow != null) {
            follow.kept();
        }
        LOG.infof(
                "phase=manifest file=%s artifacts=%d sha256=%s",
                workspace.manifestFile(), artifacts.size(), manifestSha);
        return StepSummary.of()
                .with("migration", migrationId)
                .with("database", endpoint.database())
                .with("tables", inventory.tables().size())
                .with("rows", inventory.totalRows())
                .with("rows_written_after_snapshot", snapshotRecord.rowsWrittenAfter())
                .with("dump_bytes", dumpBytes)
                .with("dump_size", ByteSizes.human(dumpBytes))
                .with("artifacts", artifacts.size())
                .with(
                        "follow_slot",
                        follow == null ? "none" : manifest.dump().follow().slot())
                .timedIn(workspace, migrationId, dumpBytes);
    }

    private static Inventory readInventory(
            ExportedSnapshot snapshot, Supplier<Connection> sessionOpener, int sessions, boolean contentDigests) {
        long started = System.nanoTime();
        try {
            InventoryReader reader = contentDigests ? InventoryReader.withContentDigests() : new InventoryReader();
            Inventory inventory = reader.read(snapshot, sessionOpener, sessions);
            LOG.infof(
                    "phase=inventory schemas=%d tables=%d rows=%d sequences=%d large_objects=%d extensions=%d "
                            + "roles=%d database_size=%s sessions=%d content_digests=%s seconds=%.1f",
                    inventory.schemas().size(),
                    inventory.tables().size(),
                    inventory.totalRows(),
                    inventory.sequences().size(),
                    inventory.largeObjects(),
                    inventory.extensions().size(),
                    inventory.roles().size(),
                    ByteSizes.human(inventory.databaseSizeBytes()),
                    sessions,
                    contentDigests,
                    (System.nanoTime() - started) / 1e9);
            return inventory;
        } catch (SQLException e) {
            throw new IllegalStateException("reading the inventory failed: " + e.getMessage(), e);
        }
    }

    private static Inventory awaitInventory(CompletableFuture<Inventory> counted) {
        try {
            return counted.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** The inventory's own thread: a daemon, so that a step that failed in pg_dump does not wait for it. */
    private static void runOnOwnThread(Runnable work) {
        DaemonThreads.named("ferry-inventory").newThread(work).start();
    }

    /**
     * The frozen writers travel in the manifest, so the new cluster's scale-up knows their counts. In the
     * export pipeline freeze runs before any manifest exists and records them in freeze.json; a rerun of
     * dump finds them in the earlier manifest.
     */
    private static Manifest.Freeze previousFreeze(Workspace workspace) {
        Optional<Manifest.Freeze> frozen = workspace.readFreezeRecord();
        if (frozen.isPresent()) {
            return frozen.get();
        }
        if (!workspace.hasManifest()) {
            return null;
        }
        try {
            return workspace.readManifest().freeze();
        } catch (RuntimeException unreadable) {
            LOG.warnf(
                    "phase=preflight note=\"ignoring an unreadable earlier manifest\" error=\"%s\"",
                    unreadable.getMessage());
            return null;
        }
    }
}
