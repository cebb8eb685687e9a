package dev.ferry.freeze;

import dev.ferry.core.StepCommand;
import dev.ferry.core.StepResults;
import dev.ferry.core.config.FerryConfig;
import dev.ferry.core.config.PostgresConfig;
import dev.ferry.core.kube.FreezeRecord;
import dev.ferry.core.kube.KubeConfig;
import dev.ferry.core.kube.KubeFailures;
import dev.ferry.core.kube.Namespaces;
import dev.ferry.core.kube.Polling;
import dev.ferry.core.kube.Workloads;
import dev.ferry.core.pg.PgConnector;
import dev.ferry.core.pg.PgEndpoint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.stream.Collectors;

/** The freeze step: scales the Onyx writers to 0 and records how to bring them back. */
public class FreezeCommand extends StepCommand {

    @Inject
    FerryConfig ferry;
    @Inject
    KubeConfig kube;
    @Inject
    FreezeConfig config;
    @Inject
    PostgresConfig postgres;
    @Inject
    KubernetesClient client;

    @Override
    protected String stepName() {
        return "freeze";
    }

    @Override
    protected void execute(String... args) throws Exception {
        String namespace = Namespaces.resolve(kube.namespace(), client);
        Optional<ConnectionDrain> drain = config.waitConnections()
                ? Optional.of(new ConnectionDrain(new PgConnector(PgEndpoint.from(postgres), "ferry-freeze")))
                : Optional.empty();
        Freezer.Request request = new Freezer.Request(new WriterSelection(config.workloads(), config.selector()),
                config.selector().filter(s -> !s.isBlank()), config.ignoreGitops(), kube.dryRun(), config.timeout(), ferry.workdir(),
                drain, config.connectionsTimeout());
        Workloads workloads = new Workloads(client, namespace);
        Freezer.Outcome outcome;
        try {
            outcome = new Freezer(workloads, new AutoscalerCheck(client, namespace), new Polling(kube.pollInterval())).freeze(request);
        } catch (KubernetesClientException e) {
            throw KubeFailures.explain(e, namespace, "deploy/rbac/freeze-role.yaml");
        }

        String summary = outcome.record().workloads().stream().map(w -> w.name() + "=" + w.replicas())
                .collect(Collectors.joining(","));
        if (!outcome.dryRun()) {
            StepResults results = new StepResults(ferry.effectiveResultsDir());
            results.write("frozen-count", outcome.record().workloads().size());
            results.write("frozen-workloads", summary.length() <= 900 ? summary : "see " + FreezeRecord.FILE_NAME);
        }
        System.out.printf("freeze: namespace=%s %s%s%n", namespace, outcome.dryRun() ? "dry-run would record " : "frozen ",
                summary);
    }
}
