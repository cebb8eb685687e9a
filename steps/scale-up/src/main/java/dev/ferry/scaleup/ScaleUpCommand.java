package dev.ferry.scaleup;

import dev.ferry.core.StepCommand;
import dev.ferry.core.StepFailure;
import dev.ferry.core.StepResults;
import dev.ferry.core.StepSummary;
import dev.ferry.core.config.FerryConfig;
import dev.ferry.kube.ArgoWorkflows;
import dev.ferry.kube.Cluster;
import dev.ferry.kube.GuardedRuns;
import dev.ferry.kube.Polling;
import dev.ferry.kube.ScaledObjects;
import dev.ferry.kube.TektonRuns;
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
        if (config.guardPipelineRun().filter(run -> !run.isBlank()).isPresent()) {
            return guard(
                    config.guardPipelineRun().get().strip(), "FERRY_SCALE_UP_GUARD_PIPELINE_RUN", workloads, restorer);
        }
        if (config.guardWorkflow().filter(run -> !run.isBlank()).isPresent()) {
            return guard(config.guardWorkflow().get().strip(), "FERRY_SCALE_UP_GUARD_WORKFLOW", workloads, restorer);
        }
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

    /** FERRY_SCALE_UP_GUARD_*: the unfreeze guard freeze started as a Job ({@link UnfreezeGuard}). */
    private StepSummary guard(String run, String setting, Workloads workloads, ReplicaRestorer restorer)
            throws InterruptedException {
        UnfreezeGuard.KeepFrozenIf keepFrozenIf = UnfreezeGuard.KeepFrozenIf.parse(config.guardKeepFrozenIf());
        int slash = run.indexOf('/');
        String runNamespace = slash < 0 ? cluster.namespace() : run.substring(0, slash);
        String runName = run.substring(slash + 1);
        if (runNamespace.isBlank() || runName.isBlank()) {
            throw StepFailure.badConfiguration(
                    setting + " is \"" + run + "\": give <namespace>/<name> or the name alone");
        }
        UnfreezeGuard.Outcome outcome;
        try {
            GuardedRuns runs = setting.endsWith("WORKFLOW")
                    ? new ArgoWorkflows(cluster.client(), runNamespace)
                    : new TektonRuns(cluster.client(), runNamespace);
            outcome = new UnfreezeGuard(runs, workloads, restorer, new Polling(config.guardPoll()))
                    .guard(runName, keepFrozenIf, config.guardWait(), config.timeout(), ferry.workdir());
        } catch (KubernetesClientException e) {
            throw cluster.explain(e, "deploy/rbac/scale-up-role.yaml");
        }
        return StepSummary.of()
                .with("guarded", runNamespace + "/" + runName)
                .with("run", outcome.runState())
                .with("decision", outcome.unfroze() ? "unfreeze" : "keep-frozen")
                .with("reason", outcome.reason())
                .with(
                        "restored",
                        outcome.restored() == null
                                ? ""
                                : outcome.restored().restored().stream()
                                        .map(t -> t.name() + "=" + t.replicas())
                                        .collect(Collectors.joining(",")));
    }
}
