package dev.ferry.alembicrun;

import dev.ferry.core.StepCommand;
import dev.ferry.core.StepResults;
import dev.ferry.core.config.FerryConfig;
import dev.ferry.core.config.PostgresConfig;
import dev.ferry.core.config.Settings;
import dev.ferry.core.kube.KubeConfig;
import dev.ferry.core.kube.KubeFailures;
import dev.ferry.core.kube.Namespaces;
import dev.ferry.core.kube.Polling;
import dev.ferry.core.pg.PgConnector;
import dev.ferry.core.pg.PgEndpoint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The alembic-run step: runs Onyx's migrations once, as a Job or a local process, and records the revisions. */
public class AlembicRunCommand extends StepCommand {

    @Inject
    FerryConfig ferry;
    @Inject
    KubeConfig kube;
    @Inject
    AlembicConfig config;
    @Inject
    PostgresConfig postgres;
    /** Only looked up in job mode: local mode must work without any cluster or kubeconfig. */
    @Inject
    Instance<KubernetesClient> client;

    @Override
    protected String stepName() {
        return "alembic-run";
    }

    @Override
    protected void execute(String... args) throws Exception {
        PgEndpoint endpoint = PgEndpoint.from(postgres);
        MigrationRunner runner = config.mode() == AlembicConfig.Mode.JOB ? jobRunner(endpoint) : localRunner(endpoint);
        AlembicRun.Outcome outcome;
        try {
            outcome = new AlembicRun(new PgConnector(endpoint, "ferry-alembic-run")).run(
                    new AlembicRun.Request(config.multiTenant(), config.executable(), kube.dryRun(), config.timeout(), ferry.workdir()),
                    runner);
        } catch (KubernetesClientException e) {
            throw KubeFailures.explain(e, kube.namespace().orElse("(default)"), "deploy/rbac/alembic-run-role.yaml");
        }

        if (!outcome.dryRun()) {
            StepResults results = new StepResults(ferry.effectiveResultsDir());
            results.write("revision-before", outcome.before().getOrDefault("public", "(none)"));
            results.write("revision-after", outcome.after().getOrDefault("public", "(none)"));
            results.write("schemas", outcome.after().size());
            results.write("schemas-changed", outcome.changed().size());
        }
        System.out.printf("alembic-run: %s public %s -> %s, %d schemas, %d changed%n", outcome.multiTenant() ? "multi-tenant" : "single-tenant",
                outcome.before().getOrDefault("public", "(none)"), outcome.after().getOrDefault("public", "(none)"),
                outcome.after().size(), outcome.changed().size());
    }

    private MigrationRunner jobRunner(PgEndpoint endpoint) {
        String image = Settings.required(config.image(), "FERRY_ALEMBIC_IMAGE");
        KubernetesClient kubernetes = client.get();
        String namespace = Namespaces.resolve(kube.namespace(), kubernetes);
        // The Job migrates the database this step checks, whatever the ConfigMap says about the host.
        Map<String, String> connection = new LinkedHashMap<>();
        connection.put("POSTGRES_HOST", endpoint.host());
        connection.put("POSTGRES_PORT", Integer.toString(endpoint.port()));
        connection.put("POSTGRES_DB", endpoint.database());
        JobRunner.Spec spec = new JobRunner.Spec(jobName(), image, config.configMap(), config.secret(), config.secretUserKey(),
                config.secretPasswordKey(), config.secretEnvFrom(), config.serviceAccount(), connection);
        return new JobRunner(kubernetes, namespace, spec, new Polling(kube.pollInterval()));
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
        String suffix = ferry.migrationId().orElse(Long.toString(Instant.now().getEpochSecond(), 36))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        String name = ("ferry-alembic-" + suffix + "-" + Long.toString(System.currentTimeMillis() % 46656, 36));
        name = name.length() > 63 ? name.substring(0, 63) : name;
        return name.replaceAll("-+$", "");
    }
}
