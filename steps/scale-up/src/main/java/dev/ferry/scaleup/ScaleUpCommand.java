package dev.ferry.scaleup;

import dev.ferry.core.StepCommand;
import dev.ferry.core.StepResults;
import dev.ferry.core.StepSummary;
import dev.ferry.core.config.FerryConfig;
import dev.ferry.kube.Cluster;
import dev.ferry.kube.ScaledObjects;
import dev.ferry.kube.Workloads;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.inject.Inject;
import java.util.stream.Collectors;

/** The scale-up step (and, pointed at the old cluster, the unfreeze). */
public class ScaleUpCommand extends StepCommand {

    @Inject
    FerryConfig ferry;

    @Inject
    Cluster cluster;

    @Inject
    ScaleUpConfig config;

    @Override
    protected StepSummary execute(String... args) throws Exception {
        String namespace = cluster.namespace();
        Workloads workloads = new Workloads(cluster.client(), namespace);
        ReplicaRestorer restorer = new ReplicaRestorer(
                workloads,
                new ScaledObjects(cluster.client(), namespace),
                new RolloutWaiter(workloads, cluster.polling()));
        ReplicaRestorer.Outcome outcome;
        try {
            outcome = restorer.restore(new ReplicaRestorer.Request(
                    config.from(), config.replicas(), cluster.dryRun(), config.timeout(), ferry.workdir()));
        } catch (KubernetesClientException e) {
            throw cluster.explain(e, "deploy/rbac/scale-up-role.yaml");
        }

        String summary = outcome.restored().stream()
                .map(t -> t.name() + "=" + t.replicas())
                .collect(Collectors.joining(","));
        if (!outcome.dryRun()) {
            StepResults results = new StepResults(ferry.effectiveResultsDir());
            results.write("restored-count", outcome.restored().size());
            results.write(
                    "restored-workloads",
                    summary.length() <= 900 ? summary : outcome.restored().size() + " workloads");
            results.write("missing-workloads", String.join(",", outcome.missing()));
        }
        return StepSummary.of()
                .with("namespace", namespace)
                .with("dry_run", outcome.dryRun())
                .with(outcome.dryRun() ? "would_restore" : "restored", summary)
                .with("missing", String.join(",", outcome.missing()));
    }
}
