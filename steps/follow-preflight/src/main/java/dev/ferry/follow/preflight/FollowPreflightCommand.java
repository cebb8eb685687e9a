package dev.ferry.follow.preflight;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepCommand;
import dev.ferry.core.StepFailure;
import dev.ferry.core.StepResults;
import dev.ferry.core.StepSummary;
import dev.ferry.core.config.FerryConfig;
import dev.ferry.core.config.Settings;
import dev.ferry.core.workspace.AtomicFiles;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.pg.PgConnector;
import dev.ferry.pg.PgEndpoint;
import dev.ferry.pg.PostgresConfig;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The follow-preflight step: checks, read-only, every prerequisite of following the source by logical decoding,
 * lists every finding (not only the first), and refuses (exit 3) when any is missing, each with its fix. It
 * runs on its own, days before a cutover, as well as first in a follow.
 */
public class FollowPreflightCommand extends StepCommand {

    private static final Logger LOG = Logger.getLogger(FollowPreflightCommand.class);
    private static final String APPLICATION_NAME = "ferry-follow-preflight";
    static final String VOLUME_SETTING = "FERRY_FOLLOW_PREFLIGHT_VOLUME_SIZE";

    @Inject
    FerryConfig ferry;

    @Inject
    PostgresConfig postgres;

    @Inject
    FollowPreflightConfig config;

    @Override
    protected StepSummary execute(String... args) throws Exception {
        Settings.positive(config.maxTransactionAge(), "FERRY_FOLLOW_PREFLIGHT_MAX_TRANSACTION_AGE");
        OptionalLong volume = config.volumeSize()
                .filter(v -> !v.isBlank())
                .map(v -> OptionalLong.of(VolumeSize.parse(v, VOLUME_SETTING)))
                .orElse(OptionalLong.empty());
        PgEndpoint source = PgEndpoint.from(postgres);
        Optional<PgEndpoint> target = targetEndpoint(source);
        Workspace workspace = Workspace.at(ferry.workdir()).prepare();

        List<Finding> findings = new ArrayList<>();
        TableKeysCheck.Result keys;
        List<WriteTransactions.Running> transactions;
        LargeObjects.Activity largeObjects;
        String sourceVersion;
        try (Connection connection = readOnly(new PgConnector(source, APPLICATION_NAME).open())) {
            sourceVersion = CatalogReads.text(connection, "SHOW server_version");
            int sourceMajor = Integer.parseInt(CatalogReads.text(connection, "SHOW server_version_num")) / 10000;
            LOG.infof(
                    "phase=connect source=%s server_version=%s target=%s",
                    source.describe(),
                    sourceVersion,
                    target.map(PgEndpoint::describe).orElse("not checked"));
            findings.addAll(ServerSettings.check(connection, volume, VOLUME_SETTING));
            findings.addAll(RoleRights.check(connection));
            if (findings.stream().noneMatch(f -> f.refused() && isReplicationPrerequisite(f))) {
                findings.add(ReplicationConnection.check(source, APPLICATION_NAME));
            }
            keys = TableKeysCheck.check(connection);
            findings.addAll(keys.findings());
            transactions = WriteTransactions.running(connection);
            findings.addAll(WriteTransactions.check(connection, config.maxTransactionAge()));
            largeObjects = LargeObjects.read(connection);
            findings.add(LargeObjects.check(largeObjects));
            if (target.isPresent()) {
                findings.addAll(checkTarget(target.get(), sourceMajor));
            }
        }
        findings.forEach(FollowPreflightCommand::log);

        long refusals = findings.stream().filter(Finding::refused).count();
        long warnings = findings.stream()
                .filter(f -> f.verdict() == Finding.Verdict.WARNING)
                .count();
        boolean ready = refusals == 0;
        PreflightReport report = new PreflightReport(
                Instant.now(),
                source.describe(),
                sourceVersion,
                target.map(PgEndpoint::describe).orElse(null),
                ready,
                refusals,
                warnings,
                keys.tables(),
                findings,
                keys.toSet(),
                transactions,
                largeObjects);
        Path reportFile = workspace.reportFolder().resolve(PreflightReport.FILE);
        AtomicFiles.writeJson(reportFile, report);
        StepResults results = new StepResults(ferry.effectiveResultsDir());
        results.write("ready", ready);
        results.write("refusals", refusals);
        results.write("warnings", warnings);
        results.write("replica-identity-tables", keys.toSet().size());

        if (!ready) {
            String missing = findings.stream()
                    .filter(Finding::refused)
                    .map(Finding::check)
                    .distinct()
                    .collect(Collectors.joining(", "));
            throw new StepFailure(
                    ExitCode.REFUSED,
                    refusals + " follow prerequisite(s) missing (" + missing + "): each is a check=… verdict=refused"
                            + " line above with its fix; the report is " + workspace.relativePath(reportFile));
        }
        return StepSummary.of()
                .with("ready", true)
                .with("warnings", warnings)
                .with("tables", keys.tables())
                .with(
                        "replica_identity",
                        keys.toSet().isEmpty()
                                ? "none"
                                : keys.toSet().stream()
                                        .map(TableKeysCheck.ReplicaIdentity::table)
                                        .collect(Collectors.joining(",")))
                .with("report", workspace.relativePath(reportFile));
    }

    /** Without these a replication connection cannot succeed, and trying it would only repeat their refusal. */
    private static boolean isReplicationPrerequisite(Finding finding) {
        return finding.check().equals(ServerSettings.WAL_LEVEL)
                || finding.check().equals(ServerSettings.WAL_SENDERS)
                || (finding.check().equals(RoleRights.CHECK)
                        && finding.message().contains("REPLICATION"));
    }

    private static void log(Finding finding) {
        switch (finding.verdict()) {
            case REFUSED -> LOG.error(finding.line());
            case WARNING -> LOG.warn(finding.line());
            default -> LOG.info(finding.line());
        }
    }

    /**
     * The optional target, its unset parts taken from the source's settings; the source's password only goes with the
     * source's user, never to another role.
     */
    private Optional<PgEndpoint> targetEndpoint(PgEndpoint source) {
        Optional<String> host = config.targetHost().filter(h -> !h.isBlank());
        if (host.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> user = config.targetUser().filter(u -> !u.isBlank());
        Optional<String> password = config.targetPassword().filter(p -> !p.isEmpty());
        return Optional.of(new PgEndpoint(
                host.get(),
                config.targetPort(),
                config.targetDb().filter(db -> !db.isBlank()).orElse(source.database()),
                user.orElse(source.user()),
                user.isPresent() ? password : password.or(source::password),
                config.targetSslmode().filter(m -> !m.isBlank()).or(source::sslmode),
                source.sslrootcert()));
    }

    private static List<Finding> checkTarget(PgEndpoint target, int sourceMajor) throws SQLException {
        Connection opened;
        try {
            opened = new PgConnector(target, APPLICATION_NAME).open();
        } catch (StepFailure failure) {
            // PgConnector names the source's settings; the target has its own.
            throw new StepFailure(
                    failure.exitCode(),
                    "target: " + failure.getMessage().replace("POSTGRES_", "FERRY_FOLLOW_PREFLIGHT_TARGET_"),
                    failure);
        }
        try (Connection connection = readOnly(opened)) {
            return TargetServer.check(connection, sourceMajor, target.describe());
        }
    }

    /** Every statement of this session runs read-only: the preflight changes nothing, even by mistake. */
    private static Connection readOnly(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            sql.execute("SET default_transaction_read_only = on");
        }
        return connection;
    }
}
