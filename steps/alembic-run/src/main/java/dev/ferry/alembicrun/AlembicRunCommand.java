package dev.ferry.alembicrun;

import dev.ferry.core.StepCommand;
import dev.ferry.core.StepFailure;
import dev.ferry.core.StepResults;
import dev.ferry.core.StepSummary;
import dev.ferry.core.config.FerryConfig;
import dev.ferry.core.config.Settings;
import dev.ferry.kube.Cluster;
import dev.ferry.pg.PgConnector;
import dev.ferry.pg.PgEndpoint;
import dev.ferry.pg.PostgresConfig;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The alembic-run step: runs Onyx's migrations once, as a Job or a local process, and records the revisions. */
public class AlembicRunCommand extends StepCommand {

    @Inject
    FerryConfig ferry;

    /** Only used in job mode: local mode must work without any cluster or kubeconfig. */
    @Inject
    Cluster cluster;

    @Inject
    AlembicConfig config;

    @Inject
    PostgresConfig postgres;

    @Override
    protected StepSummary execute(String... args) throws Exception {
        PgEndpoint endpoint = PgEndpoint.from(postgres);
        if (config.tenantJobs().isPresent() && config.tenantJobs().getAsInt() < 1) {
            throw StepFailure.badConfiguration("FERRY_ALEMBIC_TENANT_JOBS is "
                    + config.tenantJobs().getAsInt() + ": give at least 1, or leave it unset");
        }
        MigrationRunner runner = config.mode() == AlembicConfig.Mode.JOB ? jobRunner(endpoint) : localRunner(endpoint);
        AlembicRun.Outcome outcome;
        try {
            outcome = new AlembicRun(new PgConnector(endpoint, "ferry-alembic-run"))
                    .run(
                            new AlembicRun.Request(
                                    config.multiTenant(),
                                    config.executable(),
                                    cluster.dryRun(),
                                    config.timeout(),
                                    ferry.workdir(),
                                    config.tenantJobs()),
                            runner);
        } catch (KubernetesClientException e) {
            throw cluster.explain(e, "deploy/rbac/alembic-run-role.yaml");
        }

        if (!outcome.dryRun()) {
            StepResults results = new StepResults(ferry.effectiveResultsDir());
            results.write("revision-before", outcome.before().getOrDefault("public", "(none)"));
            results.write("revision-after", outcome.after().getOrDefault("public", "(none)"));
            results.write("schemas", outcome.after().size());
            results.write("schemas-changed", outcome.changed().size());
        }
        return StepSummary.of()
                .with("layout", outcome.multiTenant() ? "multi_tenant" : "single_tenant")
                .with("dry_run", outcome.dryRun())
                .with("public_before", outcome.before().getOrDefault("public", "(none)"))
                .with("public_after", outcome.after().getOrDefault("public", "(none)"))
                .with("schemas", outcome.after().size())
                .with("schemas_changed", outcome.changed().size());
    }

    private MigrationRunner jobRunner(PgEndpoint endpoint) {
        String image = Settings.required(config.image(), "FERRY_ALEMBIC_IMAGE");
        String namespace = cluster.namespace();
        // The Job migrates the database this step checks, whatever the ConfigMap says about the host.
        Map<String, String> connection = new LinkedHashMap<>();
        connection.put("POSTGRES_HOST", endpoint.host());
        connection.put("POSTGRES_PORT", Integer.toString(endpoint.port()));
        connection.put("POSTGRES_DB", endpoint.database());
        JobRunner.Spec spec = new JobRunner.Spec(
                jobName(),
                image,
                config.configMap(),
                config.secret(),
                config.secretUserKey(),
                config.secretPasswordKey(),
                config.secretEnvFrom(),
                config.serviceAccount(),
                connection,
                config.objectStorageSecret().filter(name -> !name.isBlank()));
        return new JobRunner(cluster.client(), namespace, spec, cluster.polling());
    }

    private MigrationRunner localRunner(PgEndpoint endpoint) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("POSTGRES_HOST", endpoint.host());
        environment.put("POSTGRES_PORT", Integer.toString(endpoint.port()));
        environment.put("POSTGRES_DB", endpoint.database());
        environment.put("POSTGRES_USER", endpoint.user());
        endpoint.password().ifPresent(password -> environment.put("POSTGRES_PASSWORD", password));
        return new LocalRunner(config.workdir(), environment);
    }

    /** ferry-alembic-<migration id or time>, a valid DNS label of at most 63 characters. */
    private String jobName() {
        String suffix = ferry.migrationId()
                .orElse(Long.toString(Instant.now().getEpochSecond(), 36))
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9-]", "-");
        String name = ("ferry-alembic-" + suffix + "-" + Long.toString(System.currentTimeMillis() % 46656, 36));
        name = name.length() > 63 ? name.substring(0, 63) : name;
        return name.replaceAll("-+$", "");
    }
}
