package dev.ferry.restore;

import dev.ferry.core.SecretFolder;
import dev.ferry.core.StepCommand;
import dev.ferry.core.StepFailure;
import dev.ferry.core.StepResults;
import dev.ferry.core.StepSummary;
import dev.ferry.core.config.FerryConfig;
import dev.ferry.core.config.Settings;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.RestoreRecord;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.pg.PgConnector;
import dev.ferry.pg.PgEndpoint;
import dev.ferry.pg.PgPassfile;
import dev.ferry.pg.PgTool;
import dev.ferry.pg.PgToolRunner;
import dev.ferry.pg.PostgresConfig;
import dev.ferry.pg.ToolResult;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The restore step: verifies the dump against its manifest, prepares the target database (created
 * if missing, refused if it already holds data, roles the dump needs), then runs pg_restore and
 * fails on any error that is not on {@link RestoreErrors}' short benign list.
 */
public class RestoreCommand extends StepCommand {

    private static final Logger LOG = Logger.getLogger(RestoreCommand.class);
    static final String APPLICATION_NAME = "ferry-restore";
    /** How often the target's size is read for progress; lines come at most every FERRY_PROGRESS_INTERVAL. */
    static final Duration PROGRESS_TICK = Duration.ofSeconds(2);

    @Inject
    FerryConfig ferry;

    @Inject
    PostgresConfig postgres;

    @Inject
    RestoreConfig config;

    @Override
    protected StepSummary execute(String... args) throws Exception {
        long started = System.nanoTime();
        int jobs = Settings.jobs(config.jobs(), "FERRY_RESTORE_JOBS");
        BulkLoad.checkSettings(config);
        Settings.positive(config.timeout(), "FERRY_RESTORE_TIMEOUT");
        Duration progressInterval = ferry.checkedProgressInterval();
        Workspace workspace = Workspace.at(ferry.workdir());
        Manifest manifest = workspace.readManifest();
        DumpArtifacts dump = DumpArtifacts.verify(workspace, manifest);
        workspace.removeRestoreRecord();
        LOG.infof(
                "phase=verify migration=%s artifacts=%d dump=%s format=%s globals=%s outcome=ok",
                manifest.migrationId(),
                manifest.artifacts().size(),
                dump.dumpInput().getFileName(),
                dump.format().label(),
                dump.globals().isPresent());

        PgEndpoint endpoint = PgEndpoint.from(postgres);
        PgConnector connector = new PgConnector(endpoint, APPLICATION_NAME);
        TargetDatabase target = new TargetDatabase(connector);
        boolean created = target.createIfMissing(config.maintenanceDb());
        LOG.infof("phase=target target=%s created=%s clean=%s", endpoint.describe(), created, config.clean());
        BulkLoad bulkLoad;
        Set<String> serverSettings;
        Set<String> rolesBefore;
        try (Connection connection = connector.open()) {
            if (!created && !config.clean()) {
                target.requireEmpty(connection);
            }
            bulkLoad = BulkLoad.plan(config, jobs, BulkLoad.ServerSettings.read(connection));
            serverSettings = TargetDatabase.settingNames(connection);
            rolesBefore = TargetDatabase.existingRoles(connection);
        }
        LOG.infof("phase=bulk_load jobs=%d %s", jobs, bulkLoad.describe());

        // The filtered globals.sql in it may hold password hashes; the passfile holds the password.
        SecretFolder secrets = SecretFolder.create();
        Path privateFolder = secrets.path();
        Optional<PgPassfile> passfile =
                endpoint.password().map(p -> PgPassfile.write(privateFolder, endpoint.user(), p));
        try {
            PgToolRunner tools = new PgToolRunner(
                    endpoint,
                    config.pgBinDir(),
                    "FERRY_RESTORE_PG_BIN_DIR",
                    passfile.map(PgPassfile::path),
                    APPLICATION_NAME);
            int benign = 0;
            List<String> createdRoles = List.of();
            List<String> loginRolesWithoutPassword = List.of();
            if (config.noOwner()) {
                LOG.info("phase=roles skipped=true reason=FERRY_RESTORE_NO_OWNER");
            } else {
                List<String> referenced = manifest.inventory() == null
                        ? List.of()
                        : manifest.inventory().roles();
                Set<String> passwordFromGlobals = Set.of();
                if (dump.globals().isPresent() && config.globals()) {
                    GlobalsApplied globals =
                            applyGlobals(dump.globals().get(), connector, tools, privateFolder, Set.copyOf(referenced));
                    benign += globals.benignErrors();
                    passwordFromGlobals = globals.rolesWithPassword();
                }
                try (Connection connection = connector.open()) {
                    createdRoles = target.createMissingRoles(connection, referenced);
                    if (manifest.inventory() != null) {
                        loginRolesWithoutPassword = new LoginRoles(config.readonlyUser(), config.readonlyPassword())
                                .settle(connection, manifest.inventory().roleFacts(), rolesBefore, passwordFromGlobals)
                                .withoutPassword();
                    }
                }
                LOG.infof(
                        "phase=roles referenced=%d created=%s",
                        manifest.inventory() == null
                                ? 0
                                : manifest.inventory().roles().size(),
                        createdRoles);
            }
            long sourceSize =
                    manifest.inventory() == null ? -1 : manifest.inventory().databaseSizeBytes();
            PgToolRunner bulkTools = tools.withSessionSettings(bulkLoad.sessionSettings());
            benign += restore(
                    dump,
                    endpoint,
                    bulkTools,
                    jobs,
                    manifest,
                    serverSettings,
                    privateFolder,
                    new RestoreProgress(connector, sourceSize, progressInterval));
            String analyzeSeconds = config.analyze()
                    ? String.format(
                            Locale.ROOT,
                            "%.1f",
                            new PlannerStatistics(bulkTools, endpoint.database(), jobs, config.timeout()).gather())
                    : "skipped";
            if (!bulkLoad.synchronousCommit()) {
                try (Connection connection = connector.open()) {
                    TargetDatabase.makeDurable(connection);
                }
            }

            workspace.writeRestoreRecord(new RestoreRecord(
                    manifest.migrationId(),
                    endpoint.database(),
                    config.noOwner(),
                    config.clean(),
                    Instant.now(),
                    loginRolesWithoutPassword));
            double seconds = (System.nanoTime() - started) / 1e9;
            StepResults results = new StepResults(ferry.effectiveResultsDir());
            results.write("database", endpoint.database());
            results.write("database-created", created);
            results.write("duration-seconds", String.format(Locale.ROOT, "%.1f", seconds));
            results.write("benign-errors", benign);
            results.write("login-roles-without-password", String.join(",", loginRolesWithoutPassword));
            return StepSummary.of()
                    .with("database", endpoint.database())
                    .with("created", created)
                    .with("roles_created", String.join(",", createdRoles))
                    .with("jobs", jobs)
                    .with("analyze_seconds", analyzeSeconds)
                    .with("benign_errors", benign)
                    .timedIn(workspace, manifest.migrationId(), manifest.totalBytes());
        } finally {
            passfile.ifPresent(PgPassfile::close);
            secrets.close(); // the list files of a sectioned restore too
        }
    }

    /**
     * Runs pg_restore, in one go or by sections with the largest tables split ({@link SplitTables});
     * returns the number of benign errors, throws exit 4 listing any other.
     */
    private int restore(
            DumpArtifacts dump,
            PgEndpoint endpoint,
            PgToolRunner tools,
            int jobs,
            Manifest manifest,
            Set<String> serverSettings,
            Path privateFolder,
            RestoreProgress restoreProgress)
            throws Exception {
        PgRestoreRun restore =
                new PgRestoreRun(tools, endpoint.database(), dump.dumpInput(), config.clean(), config.noOwner());
        TocList toc = TocList.read(tools, dump.dumpInput(), config.timeout());
        SplitTables split = SplitTables.choose(
                manifest.inventory(), toc, config.splitTablesLargerThan().asLongValue(), jobs, config.clean());
        LOG.infof(
                "phase=pg_restore split=%s",
                split.any()
                        ? split.tables().stream()
                                .map(table -> table.table().qualifiedName())
                                .collect(Collectors.joining(","))
                        : "none reason=\"" + split.why().orElse("") + "\"");
        long started = System.nanoTime();
        int benign;
        try (RestoreProgress progress = restoreProgress) {
            benign = split.any()
                    ? new SectionedRestore(restore, toc, split, serverSettings, privateFolder)
                            .run(jobs, config.timeout(), PROGRESS_TICK, progress::tick)
                    : restore.run("all", List.of(), jobs, config.timeout(), PROGRESS_TICK, progress::tick);
            progress.finish();
        }
        LOG.infof("phase=pg_restore seconds=%.1f", (System.nanoTime() - started) / 1e9);
        return benign;
    }

    /** What applying globals.sql did: benign errors, and the roles it created with their source password. */
    private record GlobalsApplied(int benignErrors, Set<String> rolesWithPassword) {}

    /**
     * Applies globals.sql with psql, cut down to the roles this database refers to and the target lacks
     * ({@link GlobalsScript}). psql does not stop at the first error (ON_ERROR_STOP off) so that every error
     * is collected and judged.
     */
    private GlobalsApplied applyGlobals(
            Path globals, PgConnector connector, PgToolRunner tools, Path privateFolder, Set<String> referenced)
            throws Exception {
        GlobalsScript.Filtered filtered;
        try (Connection connection = connector.open()) {
            filtered = GlobalsScript.forTarget(
                    Files.readString(globals), TargetDatabase.existingRoles(connection), referenced);
        }
        // The filtered script may hold the source's password hashes: private folder, deleted right after.
        Path script = Files.createTempFile(privateFolder, "globals-", ".sql");
        try {
            Files.writeString(script, filtered.sql());
            ToolResult result = tools.run(
                    PgTool.PSQL,
                    List.of(
                            "-X",
                            "--no-password",
                            "-v",
                            "ON_ERROR_STOP=0",
                            "-q",
                            "--dbname=" + PgConnInfo.dbname(connector.endpoint().database()),
                            "-f",
                            script.toString()),
                    config.timeout());
            RestoreErrors errors = RestoreErrors.parse(PgTool.PSQL.executable(), result.stderr());
            LOG.infof(
                    "phase=globals created=%s kept_existing=%s not_referenced=%d benign_errors=%d errors=%d",
                    filtered.keptRoles(),
                    filtered.skippedRoles(),
                    filtered.unreferencedRoles().size(),
                    errors.benign().size(),
                    errors.fatal().size());
            if (!errors.fatal().isEmpty() || !result.succeeded()) {
                throw StepFailure.verificationFailed("applying globals.sql failed: "
                        + (errors.fatal().isEmpty() ? result.stderrSummary(500) : errors.fatalSummary(5))
                        + " (set FERRY_RESTORE_GLOBALS=false to skip it; roles the dump needs are still created)");
            }
            return new GlobalsApplied(errors.benign().size(), filtered.rolesWithPassword());
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
