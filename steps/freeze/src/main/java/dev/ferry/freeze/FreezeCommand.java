package dev.ferry.freeze;

import dev.ferry.core.StepCommand;
import dev.ferry.core.StepResults;
import dev.ferry.core.StepSummary;
import dev.ferry.core.config.FerryConfig;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.kube.Cluster;
import dev.ferry.kube.ScaledObjects;
import dev.ferry.kube.Workloads;
import dev.ferry.pg.PgConnector;
import dev.ferry.pg.PgEndpoint;
import dev.ferry.pg.PostgresConfig;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/** The freeze step: scales the Onyx writers to 0 and records how to bring them back. */
public class FreezeCommand extends StepCommand {

    private static final Logger LOG = Logger.getLogger(FreezeCommand.class);

    @Inject
    FerryConfig ferry;

    @Inject
    Cluster cluster;

    @Inject
    FreezeConfig config;

    @Inject
    PostgresConfig postgres;

    @Override
    protected StepSummary execute(String... args) throws Exception {
        ferry.refuseEphemeralWorkspace();
        String namespace = cluster.namespace();
        Optional<ConnectionDrain> drain = config.waitConnections()
                ? Optional.of(new ConnectionDrain(new PgConnector(PgEndpoint.from(postgres), "ferry-freeze")))
                : Optional.empty();
        Freezer.Request request = new Freezer.Request(
                new WriterSelection(config.workloads(), config.selector()),
                config.selector().filter(s -> !s.isBlank()),
                config.ignoreGitops(),
                cluster.dryRun(),
                config.timeout(),
                ferry.workdir(),
                drain,
                config.connectionsTimeout());
        Workloads workloads = new Workloads(cluster.client(), namespace);
        Freezer.Outcome outcome;
        String guard;
        try {
            guard = cluster.dryRun() ? "" : startGuard(namespace).orElse("none");
            outcome = new Freezer(
                            workloads,
                            new AutoscalerCheck(cluster.client(), namespace),
                            new ScaledObjects(cluster.client(), namespace),
                            cluster.polling())
                    .freeze(request);
        } catch (KubernetesClientException e) {
            throw cluster.explain(e, "deploy/rbac/freeze-role.yaml");
        }

        String summary = outcome.record().workloads().stream()
                .map(w -> w.name() + "=" + w.replicas())
                .collect(Collectors.joining(","));
        if (!outcome.dryRun()) {
            StepResults results = new StepResults(ferry.effectiveResultsDir());
            results.write("frozen-count", outcome.record().workloads().size());
            results.write("frozen-workloads", summary.length() <= 900 ? summary : "see " + Workspace.FREEZE_RECORD);
        }
        StepSummary done = StepSummary.of()
                .with("guard", guard)
                .with("namespace", namespace)
                .with("dry_run", outcome.dryRun())
                .with(outcome.dryRun() ? "would_freeze" : "frozen", summary);
        // The outage starts here: the freeze's own run, its wait for the writers' pods included, opens the timeline.
        return outcome.dryRun() ? done : done.timedIn(Workspace.at(ferry.workdir()), null, 0);
    }

    /**
     * The unfreeze guard, before anything is scaled down: so a run that ends badly in any way, finally skipped or
     * not, brings the writers back. Without a PipelineRun to guard (freeze run on its own) it says so.
     */
    private Optional<String> startGuard(String namespace) {
        Optional<String> pipelineRun =
                config.guardPipelineRun().map(String::strip).filter(r -> !r.isBlank());
        Optional<String> workflow = config.guardWorkflow().map(String::strip).filter(r -> !r.isBlank());
        if (pipelineRun.isEmpty() && workflow.isEmpty()) {
            LOG.warnf(
                    "phase=guard job=none reason=\"neither FERRY_FREEZE_GUARD_PIPELINE_RUN nor FERRY_FREEZE_GUARD_WORKFLOW"
                            + " is set: only the pipeline's own unfreeze runs, and a timed-out, cancelled or terminated run skips it\"");
            return Optional.empty();
        }
        return Optional.of(new UnfreezeGuardJob(cluster.client())
                .start(new UnfreezeGuardJob.Spec(
                        namespace,
                        pipelineRun.isPresent() ? UnfreezeGuardJob.Kind.PIPELINE_RUN : UnfreezeGuardJob.Kind.WORKFLOW,
                        pipelineRun.orElseGet(workflow::get),
                        config.guardImage().orElse(""),
                        config.guardKeepFrozenIf(),
                        config.guardServiceAccount(),
                        config.guardWait())));
    }
}
