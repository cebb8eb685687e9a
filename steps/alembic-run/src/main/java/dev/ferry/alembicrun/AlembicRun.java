package dev.ferry.alembicrun;

import dev.ferry.core.StepFailure;
import dev.ferry.core.workspace.AtomicFiles;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.pg.PgConnector;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Runs Onyx's migrations once and proves where they ended: reads {@code alembic_version} of every
 * schema before and after, picks the commands for the layout (single or multi-tenant), and writes
 * {@code alembic.json} to the workspace.
 */
public final class AlembicRun {

    private static final Logger LOG = Logger.getLogger(AlembicRun.class);

    /** Everything one run needs, already resolved from the configuration. */
    public record Request(
            Optional<Boolean> multiTenant,
            String executable,
            boolean dryRun,
            Duration timeout,
            Path workdir,
            java.util.OptionalInt tenantJobs) {

        public Request(
                Optional<Boolean> multiTenant, String executable, boolean dryRun, Duration timeout, Path workdir) {
            this(multiTenant, executable, dryRun, timeout, workdir, java.util.OptionalInt.empty());
        }
    }

    /** Where every schema stood before and after, as written to alembic.json. */
    public record Outcome(
            String runner,
            boolean multiTenant,
            List<List<String>> commands,
            Map<String, String> before,
            Map<String, String> after,
            Map<String, String> changed,
            boolean dryRun,
            Instant finishedAt) {}

    private final PgConnector database;

    public AlembicRun(PgConnector database) {
        this.database = database;
    }

    public Outcome run(Request request, MigrationRunner runner) throws InterruptedException, SQLException {
        Map<String, String> before;
        boolean multiTenant;
        List<String> olderFileStores;
        try (Connection connection = database.open()) {
            before = AlembicVersions.read(connection);
            olderFileStores = FileStoreGeneration.schemasBeforeExternalStorage(connection);
            multiTenant = request.multiTenant().isPresent()
                    ? request.multiTenant().get()
                    : AlembicVersions.hasTenantSchemas(connection);
        }
        LOG.infof(
                "phase=before database=%s layout=%s versions=%s",
                database.endpoint().describe(), multiTenant ? "multi-tenant" : "single-tenant", before);
        refuseFileStoreWithoutObjectStorage(olderFileStores, runner);
        List<List<String>> commands =
                AlembicCommands.forLayout(request.executable(), multiTenant, request.tenantJobs());
        if (request.dryRun()) {
            LOG.infof("phase=dry-run would-run=\"%s\" changed=none", runner.describe(commands));
            return new Outcome(
                    runner.describe(commands), multiTenant, commands, before, before, Map.of(), true, Instant.now());
        }

        runner.run(commands, request.timeout());

        Map<String, String> after;
        try (Connection connection = database.open()) {
            after = AlembicVersions.read(connection);
        }
        Map<String, String> changed = new TreeMap<>();
        after.forEach((schema, version) -> {
            if (!version.equals(before.get(schema))) {
                changed.put(schema, before.getOrDefault(schema, "(none)") + " -> " + version);
            }
        });
        LOG.infof("phase=after versions=%s changed=%d", after, changed.size());
        Outcome outcome = new Outcome(
                runner.describe(commands), multiTenant, commands, before, after, changed, false, Instant.now());
        AtomicFiles.writeJson(Workspace.at(request.workdir()).alembicRecordFile(), outcome);
        return outcome;
    }

    /**
     * Before anything runs: a database that predates Onyx's migration c9e2cd766c29 has its files moved into
     * Onyx's object storage by it, which fails halfway through {@code alembic upgrade} without the store's
     * settings. Said in one line, naming the schemas and the setting, instead.
     */
    private static void refuseFileStoreWithoutObjectStorage(List<String> schemas, MigrationRunner runner) {
        if (schemas.isEmpty()) {
            return;
        }
        Optional<String> store = runner.objectStorage();
        if (store.isEmpty()) {
            throw StepFailure.badConfiguration("schema(s) " + String.join(", ", schemas) + " still keep Onyx's files in"
                    + " file_store large objects, which Onyx migration " + FileStoreGeneration.MIGRATION
                    + " moves into Onyx's object storage during alembic upgrade: set FERRY_ALEMBIC_OBJECT_STORAGE_SECRET"
                    + " (the objectstorage-secret param; Onyx's own is onyx-objectstorage, with S3_AWS_ACCESS_KEY_ID and"
                    + " S3_AWS_SECRET_ACCESS_KEY) or FERRY_ALEMBIC_SERVICE_ACCOUNT (a service account whose identity"
                    + " reaches the store), with the endpoint and bucket in the ConfigMap");
        }
        runner.requireObjectStorage();
        LOG.infof(
                "phase=before file_store_schemas=%s migration=%s object_storage=\"%s\"",
                String.join(",", schemas), FileStoreGeneration.MIGRATION, store.get());
    }
}
