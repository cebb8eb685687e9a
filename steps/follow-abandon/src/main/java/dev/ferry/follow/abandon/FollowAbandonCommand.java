package dev.ferry.follow.abandon;

import dev.ferry.core.StepCommand;
import dev.ferry.core.StepResults;
import dev.ferry.core.StepStop;
import dev.ferry.core.StepSummary;
import dev.ferry.core.config.FerryConfig;
import dev.ferry.core.config.Settings;
import dev.ferry.follow.FollowTeardown;
import dev.ferry.follow.ReplicaIdentities;
import dev.ferry.follow.bucket.CaptureHeartbeat;
import dev.ferry.follow.bucket.FollowObjects;
import dev.ferry.kube.Cluster;
import dev.ferry.pg.PgConnector;
import dev.ferry.pg.PgEndpoint;
import dev.ferry.pg.PostgresConfig;
import dev.ferry.s3.AwsConfig;
import dev.ferry.s3.ObjectStore;
import dev.ferry.s3.S3Settings;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The follow-abandon step, on the old cluster: ends a follow on the source with only a connection to it (terminates a
 * WAL sender still streaming the slot, drops the slot, puts back the replica identities the publication records and
 * drops the publication), then marks capture's heartbeat ABANDONED or FINISHED so apply on the new cluster stops.
 * Safe to run again. With FERRY_FOLLOW_ABANDON_WHEN_STALE it is the follow's slot guard, and with
 * FERRY_FOLLOW_ABANDON_ARM_GUARD it starts that guard as a Kubernetes Job.
 */
public class FollowAbandonCommand extends StepCommand {

    private static final Logger LOG = Logger.getLogger(FollowAbandonCommand.class);
    static final String APPLICATION_NAME = "ferry-follow-abandon";
    static final String ROLE_FILE = "deploy/rbac/follow-guard-role.yaml";

    @Inject
    FerryConfig ferry;

    @Inject
    PostgresConfig postgres;

    @Inject
    ObjectStore objectStore;

    @Inject
    AwsConfig aws;

    @Inject
    S3Settings s3;

    @Inject
    Cluster cluster;

    @Inject
    FollowAbandonConfig config;

    @Override
    // The SIGTERM registration is a resource held for the try's extent only: closing it is its whole use.
    @SuppressWarnings("try")
    protected StepSummary execute(String... args) throws Exception {
        String migrationId = FollowObjects.requiredMigrationId(ferry);
        Duration senderTimeout = Settings.positive(config.senderTimeout(), "FERRY_FOLLOW_ABANDON_SENDER_TIMEOUT");
        if (config.armGuard()) {
            if (config.whenStale().isEmpty()) {
                // Capture's Task arms by default; an empty guard-when-stale is the user's way to say no guard.
                LOG.warnf("phase=arm job=none reason=\"FERRY_FOLLOW_ABANDON_WHEN_STALE is not set: no slot guard;"
                        + " a capture lost for good leaves the slot pinning WAL until follow-abandon runs\"");
                return StepSummary.of().with("guard_job", "none");
            }
            return arm(migrationId, Settings.positive(config.whenStale().get(), "FERRY_FOLLOW_ABANDON_WHEN_STALE"));
        }
        PgConnector source = new PgConnector(PgEndpoint.from(postgres), APPLICATION_NAME);
        if (config.whenStale().isEmpty()) {
            return end(source, migrationId, senderTimeout, config.reason(), "asked");
        }
        Duration stale = Settings.positive(config.whenStale().get(), "FERRY_FOLLOW_ABANDON_WHEN_STALE");
        Duration poll = Settings.positive(config.pollInterval(), "FERRY_FOLLOW_ABANDON_POLL_INTERVAL");
        CountDownLatch stop = new CountDownLatch(1);
        SlotGuard.Verdict verdict;
        try (StepStop.Registration onStop = StepStop.onStop(stop::countDown)) {
            verdict = new SlotGuard(source, objectStore, migrationId, config.slot(), stale, poll, stop).watch();
        }
        return switch (verdict) {
            case FOLLOW_ENDED, STOPPED ->
                StepSummary.of()
                        .with("action", "none")
                        .with("reason", verdict.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            case STALE, ENDED_BUT_SLOT_LEFT ->
                end(
                        source,
                        migrationId,
                        senderTimeout,
                        FollowAbandonConfig.Reason.ABANDON,
                        verdict.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        };
    }

    /** Ends the follow on the source, then tells the bucket. */
    private StepSummary end(
            PgConnector source,
            String migrationId,
            Duration senderTimeout,
            FollowAbandonConfig.Reason reason,
            String why)
            throws Exception {
        LOG.infof(
                "phase=prepare source=%s slot=%s publication=%s reason=%s why=%s",
                source.endpoint().describe(),
                config.slot(),
                config.publication(),
                reason.name().toLowerCase(Locale.ROOT),
                why);
        FollowTeardown.Outcome outcome;
        try (Connection sql = source.open()) {
            outcome = FollowTeardown.run(sql, config.slot(), config.publication(), senderTimeout);
        }
        String restored = outcome.restored().stream()
                .map(ReplicaIdentities.Changed::table)
                .collect(Collectors.joining(","));
        if (outcome.nothingRemoved()) {
            LOG.infof(
                    "phase=teardown slot=%s publication=%s nothing_to_remove=true",
                    config.slot(), config.publication());
        } else {
            LOG.infof(
                    "phase=teardown slot_dropped=%s wal_sender_terminated=%s publication_dropped=%s"
                            + " replica_identities_restored=%d%s",
                    outcome.slotDropped(),
                    outcome.senderTerminated(),
                    outcome.publicationDropped(),
                    outcome.restored().size(),
                    outcome.goneTables().isEmpty()
                            ? ""
                            : " tables_gone_since=" + String.join(",", outcome.goneTables()));
        }
        CaptureHeartbeat.State state = reason == FollowAbandonConfig.Reason.FINISHED
                ? CaptureHeartbeat.State.FINISHED
                : CaptureHeartbeat.State.ABANDONED;
        boolean told = EndingHeartbeat.write(objectStore, migrationId, config.slot(), state);
        StepResults results = new StepResults(ferry.effectiveResultsDir());
        results.write("removed", outcome.nothingRemoved() ? "nothing" : "slot-and-publication");
        results.write("heartbeat", told ? state.name() : "");
        return StepSummary.of()
                .with("reason", reason.name().toLowerCase(Locale.ROOT))
                .with("removed", outcome.nothingRemoved() ? "nothing" : "slot-and-publication")
                .with("slot_dropped", outcome.slotDropped())
                .with("publication_dropped", outcome.publicationDropped())
                .with("replica_identities_restored", restored.isEmpty() ? "none" : restored)
                .with("heartbeat", told ? state.name() : "not-written");
    }

    /** Starts the guard Job with this run's plain settings and the ConfigMap/Secret names it is told. */
    private StepSummary arm(String migrationId, Duration stale) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("FERRY_MIGRATION_ID", migrationId);
        settings.put("FERRY_FOLLOW_ABANDON_SLOT", config.slot());
        settings.put("FERRY_FOLLOW_ABANDON_PUBLICATION", config.publication());
        settings.put("FERRY_FOLLOW_ABANDON_WHEN_STALE", stale.toSeconds() + "s");
        settings.put("FERRY_FOLLOW_ABANDON_POLL_INTERVAL", config.pollInterval().toSeconds() + "s");
        settings.put(
                "FERRY_FOLLOW_ABANDON_SENDER_TIMEOUT", config.senderTimeout().toSeconds() + "s");
        settings.put("AWS_REGION", aws.region());
        s3.bucket().ifPresent(b -> settings.put("FERRY_S3_BUCKET", b));
        settings.put("FERRY_S3_PREFIX", s3.prefix());
        s3.pathStyle().ifPresent(p -> settings.put("FERRY_S3_PATH_STYLE", p.toString()));
        settings.put("FERRY_S3_CHECKSUM_MODE", s3.checksumMode().name().toLowerCase(Locale.ROOT));
        settings.put("FERRY_S3_SSE", s3.sse());
        s3.sseKmsKeyId().ifPresent(k -> settings.put("FERRY_S3_SSE_KMS_KEY_ID", k));
        String namespace = cluster.namespace();
        FollowGuardJob.Spec spec = new FollowGuardJob.Spec(
                namespace,
                migrationId,
                config.guardImage().orElse(""),
                config.guardServiceAccount(),
                config.guardPostgresConfigmap(),
                config.guardPostgresSecret(),
                config.guardPostgresUserKey(),
                config.guardPostgresPasswordKey(),
                config.guardS3Secret(),
                settings);
        String job;
        if (cluster.dryRun()) {
            new FollowGuardJob(null).build(spec);
            job = FollowGuardJob.name(migrationId) + " (dry run: not created)";
        } else {
            try {
                job = new FollowGuardJob(cluster.client()).start(spec);
            } catch (KubernetesClientException e) {
                throw cluster.explain(e, ROLE_FILE);
            }
        }
        new StepResults(ferry.effectiveResultsDir()).write("guard-job", job);
        return StepSummary.of().with("guard_job", job).with("when_stale", stale);
    }
}
