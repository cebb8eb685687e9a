package dev.ferry.scaleup;

import dev.ferry.core.StepCommand;
import dev.ferry.core.StepResults;
import dev.ferry.core.config.FerryConfig;
import dev.ferry.core.kube.KubeConfig;
import dev.ferry.core.kube.KubeFailures;
import dev.ferry.core.kube.Namespaces;
import dev.ferry.core.kube.Polling;
import dev.ferry.core.kube.Workloads;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.inject.Inject;
import java.util.stream.Collectors;

/** The scale-up step (and, pointed at the old cluster, the unfreeze). */
public class ScaleUpCommand extends StepCommand {

    @Inject
    FerryConfig ferry;
    @Inject
    KubeConfig kube;
    @Inject
    ScaleUpConfig config;
    @Inject
    KubernetesClient client;

    @Override
    protected String stepName() {
        return "scale-up";
    }

    @Override
    protected void execute(String... args) throws Exception {
        String namespace = Namespaces.resolve(kube.namespace(), client);
        Workloads workloads = new Workloads(client, namespace);
        ReplicaRestorer restorer = new ReplicaRestorer(workloads, new RolloutWaiter(workloads, new Polling(kube.pollInterval())));
        ReplicaRestorer.Outcome outcome;
        try {
            outcome = restorer.restore(new ReplicaRestorer.Request(config.from(), config.replicas(), kube.dryRun(), config.timeout(),
                    ferry.workdir()));
        } catch (KubernetesClientException e) {
            throw KubeFailures.explain(e, namespace, "deploy/rbac/scale-up-role.yaml");
        }

        String summary = outcome.restored().stream().map(t -> t.name() + "=" + t.replicas()).collect(Collectors.joining(","));
        if (!outcome.dryRun()) {
            StepResults results = new StepResults(ferry.effectiveResultsDir());
            results.write("restored-count", outcome.restored().size());
            results.write("restored-workloads", summary.length() <= 900 ? summary : outcome.restored().size() + " workloads");
            results.write("missing-workloads", String.join(",", outcome.missing()));
        }
        System.out.printf("scale-up: namespace=%s %s%s%s%n", namespace, outcome.dryRun() ? "dry-run would restore " : "restored ",
                summary, outcome.missing().isEmpty() ? "" : " missing=" + String.join(",", outcome.missing()));
    }
}
