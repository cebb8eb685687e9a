package dev.ferry.validate;

import dev.ferry.core.StepCommand;
import dev.ferry.core.StepFailure;
import dev.ferry.core.StepResults;
import dev.ferry.core.StepSummary;
import dev.ferry.core.config.FerryConfig;
import dev.ferry.core.config.Settings;
import dev.ferry.core.manifest.Inventory;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.manifest.PhaseTiming;
import dev.ferry.core.workspace.AtomicFiles;
import dev.ferry.core.workspace.RestoreRecord;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.pg.DefinitionProbes;
import dev.ferry.pg.ExportedSnapshot;
import dev.ferry.pg.InventoryReader;
import dev.ferry.pg.PgConnector;
import dev.ferry.pg.PgEndpoint;
import dev.ferry.pg.PostgresConfig;
import dev.ferry.pg.TableScan;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The validate step: reads the target's inventory, compares it with the source's from the
 * manifest, writes the JSON and Markdown reports, and fails with exit 4 on any mismatch.
 */
public class ValidateCommand extends StepCommand {

    private static final Logger LOG = Logger.getLogger(ValidateCommand.class);
    static final int LISTED_IN_MESSAGE = 3;

    @Inject
    FerryConfig ferry;

    @Inject
    PostgresConfig postgres;

    @Inject
    ValidateConfig config;

    @Override
    protected StepSummary execute(String... args) throws Exception {
        Workspace workspace = Workspace.at(ferry.workdir());
        Manifest manifest = workspace.readManifest();
        Inventory expected = manifest.inventory();
        if (expected == null) {
            throw StepFailure.verificationFailed(
                    "the manifest in " + workspace.root() + " holds no source inventory to validate against");
        }
        int jobs = Settings.jobs(config.jobs(), "FERRY_VALIDATE_JOBS");
        PgEndpoint endpoint = PgEndpoint.from(postgres);
        PgConnector connector = new PgConnector(endpoint, "ferry-validate");
        long started = System.nanoTime();
        Inventory actual;
        int targetMajor;
        try (Connection connection = connector.open();
                ExportedSnapshot snapshot = ExportedSnapshot.export(connection)) {
            targetMajor = connection.getMetaData().getDatabaseMajorVersion();
            // One snapshot for every session, as on the source: a table is read once, at one moment.
            actual = new InventoryReader(tableScan(config.content(), expected)).read(snapshot, connector::open, jobs);
        }
        LOG.infof(
                "phase=inventory target=%s schemas=%d tables=%d sequences=%d large_objects=%d content=%s jobs=%d"
                        + " seconds=%.1f",
                endpoint.describe(),
                actual.schemas().size(),
                actual.tables().size(),
                actual.sequences().size(),
                actual.largeObjects(),
                config.content().name().toLowerCase(Locale.ROOT),
                jobs,
                (System.nanoTime() - started) / 1e9);

        Optional<RestoreRecord> restored = workspace.readRestoreRecord();
        boolean noOwner = restored.filter(RestoreRecord::noOwner).isPresent();
        boolean followBase = manifest.dump() != null && manifest.dump().follow() != null;
        Inventory source = followBase
                ? InventoryComparison.withoutSequenceValues(comparable(expected, noOwner))
                : comparable(expected, noOwner);
        Inventory target = comparable(actual, noOwner);
        boolean sameMajor = manifest.source() != null && manifest.source().serverMajorVersion() == targetMajor;
        Map<String, DefinitionProbes.Outcome> probes = probe(connector, source, target, targetMajor);
        Comparison comparison = withWritesAfterTheDump(
                InventoryComparison.compare(
                        source,
                        target,
                        config.strictExtensions(),
                        restored.map(r -> Set.copyOf(r.loginRolesWithoutPassword()))
                                .orElse(Set.of()),
                        sameMajor,
                        probes),
                manifest);
        if (followBase) {
            comparison = comparison.withWarning("sequence values: not compared, this is the base copy of a follow"
                    + " (slot " + manifest.dump().follow().slot() + "): Onyx writes on after its snapshot and sequences"
                    + " are not decoded, so their values are set when the follow is cut over");
        }
        if (noOwner) {
            comparison = comparison.withWarning("owners and grants: not compared, the restore ran with"
                    + " FERRY_RESTORE_NO_OWNER=true (every object belongs to its role, no grant is restored)");
        }
        Optional<OutagePrediction> outage = predictOutage(workspace, manifest, expected);
        ValidationReport report = ValidationReport.of(
                manifest.migrationId(),
                manifest.source() == null ? null : manifest.source().database(),
                manifest.source() == null ? null : manifest.source().serverVersion(),
                endpoint.describe(),
                Instant.now(),
                config.content().compares(),
                comparison,
                manifest.totalBytes(),
                expected.databaseSizeBytes(),
                outage.orElse(null));
        Path folder = workspace.reportFolder();
        AtomicFiles.writeJson(folder.resolve("validation.json"), report);
        outage.ifPresent(o -> AtomicFiles.writeString(
                folder.resolve(MarkdownReport.TIMELINE_SVG),
                TimelineSvg.render(o, "Migration " + manifest.migrationId() + ": validation " + report.verdict())));
        AtomicFiles.writeString(folder.resolve("validation.md"), MarkdownReport.render(report));
        LOG.infof(
                "phase=compare verdict=%s mismatches=%d warnings=%d report=%s",
                report.verdict(), report.mismatchCount(), report.warningCount(), folder.resolve("validation.md"));
        comparison.warnings().forEach(warning -> LOG.warnf("phase=compare warning=\"%s\"", warning));
        outage.ifPresent(o -> LOG.infof(
                "phase=predict predicted_downtime=\"%s\" seconds=%.0f parts=\"%s\"",
                o.human(), o.seconds(), o.describeParts()));

        StepResults results = new StepResults(ferry.effectiveResultsDir());
        results.write("verdict", report.verdict());
        results.write("mismatches", report.mismatchCount());
        results.write("warnings", report.warningCount());
        results.write("predicted-downtime", outage.map(OutagePrediction::human).orElse("unknown"));
        results.write(
                "predicted-downtime-seconds",
                outage.map(o -> Long.toString(Math.round(o.seconds()))).orElse(""));

        if (!comparison.passed()) {
            throw StepFailure.verificationFailed("the target does not match the source: " + report.mismatchCount()
                    + " mismatches, first: "
                    + String.join(
                            "; ",
                            comparison.mismatches().stream()
                                    .limit(LISTED_IN_MESSAGE)
                                    .toList())
                    + (report.mismatchCount() > LISTED_IN_MESSAGE ? "; …" : "") + " (see "
                    + folder.resolve("validation.md") + ")");
        }
        return StepSummary.of()
                .with("verdict", report.verdict())
                .with("tables", actual.tables().size())
                .with("warnings", report.warningCount())
                .with("predicted_downtime", outage.map(OutagePrediction::human).orElse("unknown"))
                .with("report", folder.resolve("validation.md"))
                .timedIn(workspace, manifest.migrationId(), expected.databaseSizeBytes());
    }

    /**
     * The source's definitions the target prints differently, each created again on the target in a transaction
     * that is rolled back, on a session of its own (DefinitionProbes): the target's parser decides whether it is the
     * definition it restored. Another major prints some definitions its own way, and from 16 a restore itself may
     * (see InventoryComparison#toProbe).
     */
    private static Map<String, DefinitionProbes.Outcome> probe(
            PgConnector connector, Inventory source, Inventory target, int targetMajor) throws SQLException {
        List<Inventory.SchemaObject> differing = InventoryComparison.toProbe(source, target);
        if (differing.isEmpty()) {
            return Map.of();
        }
        long started = System.nanoTime();
        Map<String, DefinitionProbes.Outcome> probes;
        try (Connection connection = connector.open()) {
            probes = DefinitionProbes.probe(
                    connection,
                    differing,
                    target.schemaObjects().stream()
                            .collect(Collectors.toMap(Inventory.SchemaObject::label, o -> o, (a, b) -> a)));
        }
        long same =
                probes.values().stream().filter(DefinitionProbes.Outcome::same).count();
        long failed = probes.values().stream().filter(o -> o.failure() != null).count();
        LOG.infof(
                "phase=reprint target_major=%d printed_differently=%d same_when_read_again=%d differ=%d"
                        + " did_not_create=%d seconds=%.1f",
                targetMajor,
                probes.size(),
                same,
                probes.size() - same - failed,
                failed,
                (System.nanoTime() - started) / 1e9);
        return probes;
    }

    /**
     * The outage from the steps recorded so far (the export side's travel in the manifest, the rest in this
     * workspace's timeline) and this run up to now; none when no step of this migration left a record.
     */
    private Optional<OutagePrediction> predictOutage(Workspace workspace, Manifest manifest, Inventory source) {
        List<PhaseTiming> recorded = new ArrayList<>(workspace.readTimeline());
        List<PhaseTiming> earlier = manifest.timelineWith(recorded);
        if (earlier.isEmpty()) {
            return Optional.empty();
        }
        recorded.add(new PhaseTiming(
                stepName(), manifest.migrationId(), startedAt(), Instant.now(), source.databaseSizeBytes()));
        Manifest.Snapshot snapshot =
                manifest.dump() == null ? null : manifest.dump().snapshot();
        return Optional.of(OutagePrediction.of(
                manifest.timelineWith(recorded),
                source.totalRows(),
                snapshot == null ? 0 : snapshot.rowsWrittenAfter(),
                new OutagePrediction.Assumptions(
                        config.predictFreeze(), config.predictAlembic(), config.predictScaleUp())));
    }

    private static TableScan tableScan(ValidateConfig.Content content, Inventory source) {
        return switch (content) {
            case FULL -> TableScan.fullLike(source);
            case SAMPLE -> TableScan.sampleLike(source);
            case COUNTS -> TableScan.COUNTS;
        };
    }

    /** The inventory as this run compares it: by sample digests in {@code sample} mode, without roles after a no-owner restore. */
    private Inventory comparable(Inventory inventory, boolean noOwner) {
        Inventory compared = config.content() == ValidateConfig.Content.SAMPLE
                ? InventoryComparison.onSamples(inventory)
                : inventory;
        return noOwner ? InventoryComparison.withoutRoles(compared) : compared;
    }

    /**
     * Rows written to the source after the dump's snapshot (a rehearsal against a live Onyx: the dump step
     * refuses them after a freeze) are not in this migration: the report says so, with the tables.
     */
    private static Comparison withWritesAfterTheDump(Comparison comparison, Manifest manifest) {
        Manifest.Snapshot snapshot =
                manifest.dump() == null ? null : manifest.dump().snapshot();
        if (snapshot == null || snapshot.rowsWrittenAfter() == 0) {
            return comparison;
        }
        return comparison.withWarning(snapshot.rowsWrittenAfter()
                + " rows were written to the source after the dump's snapshot and are not in this migration (no "
                + "freeze ran): " + snapshot.describeWrites());
    }
}
