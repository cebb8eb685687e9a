package dev.ferry.freeze;

import dev.ferry.core.StepFailure;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.kube.Polling;
import dev.ferry.kube.ScaledObjects;
import dev.ferry.kube.Workload;
import dev.ferry.kube.WorkloadKind;
import dev.ferry.kube.Workloads;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Stops the Onyx writers: select, refuse what GitOps would undo, record the original replica counts
 * and the KEDA pauses durably (freeze.json, then an annotation on each workload, then the manifest),
 * pause KEDA, and only then scale to 0 and wait for the pods to be gone. Recording before changing
 * anything is what makes a re-run safe.
 */
public final class Freezer {

    private static final Logger LOG = Logger.getLogger(Freezer.class);

    /** Everything one freeze run needs, already resolved from the configuration. */
    public record Request(
            WriterSelection selection,
            Optional<String> labelSelector,
            boolean ignoreGitOps,
            boolean dryRun,
            Duration podsTimeout,
            Path workdir,
            Optional<ConnectionDrain> drain,
            Duration connectionsTimeout) {}

    /** What was frozen (the record now on disk), or what would be in a dry run. */
    public record Outcome(Manifest.Freeze record, boolean dryRun) {}

    private final Workloads workloads;
    private final AutoscalerCheck autoscalers;
    private final KedaPauses kedaPauses;
    private final Polling polling;

    public Freezer(Workloads workloads, AutoscalerCheck autoscalers, ScaledObjects scaledObjects, Polling polling) {
        this.workloads = workloads;
        this.autoscalers = autoscalers;
        this.kedaPauses = new KedaPauses(scaledObjects);
        this.polling = polling;
    }

    public Outcome freeze(Request request) throws InterruptedException {
        List<WriterSelection.Selected> selected = select(request);
        refuseGitOps(selected, request.ignoreGitOps());
        List<Workload> chosen =
                selected.stream().map(WriterSelection.Selected::workload).toList();
        autoscalers.findings(chosen).forEach(finding -> LOG.warnf("phase=check-autoscalers %s", finding));
        KedaPauses.Plan pauses = kedaPauses.plan(chosen);

        Optional<Manifest.Freeze> previous = Workspace.at(request.workdir()).readFreezeRecord();
        Set<String> paused = new LinkedHashSet<>(pauses.toPause());
        previous.ifPresent(p -> paused.addAll(p.pausedScaledObjects()));
        Manifest.Freeze record =
                record(workloads.namespace(), chosen, previous).withPausedScaledObjects(List.copyOf(paused));
        if (request.dryRun()) {
            pauses.toPause().forEach(name -> LOG.infof("phase=dry-run keda_scaledobject=%s would_pause=true", name));
            LOG.infof("phase=dry-run workloads=%d changed=none", chosen.size());
            return new Outcome(record, true);
        }

        Workspace.at(request.workdir()).writeFreezeRecord(record);
        LOG.infof(
                "phase=record file=%s workloads=%d",
                Workspace.at(request.workdir()).freezeRecordFile(),
                record.workloads().size());
        for (Manifest.FrozenWorkload frozen : record.workloads()) {
            if (chosen.stream()
                    .anyMatch(w ->
                            w.name().equals(frozen.name()) && w.kind().kind().equals(frozen.kind()))) {
                workloads.annotate(
                        WorkloadKind.of(frozen.kind()),
                        frozen.name(),
                        Map.of(Workload.ORIGINAL_REPLICAS, Integer.toString(frozen.replicas())));
            }
        }
        addToManifest(request.workdir(), record);
        // Paused before the scale-down, or KEDA would scale the writers straight back up to its minimum.
        kedaPauses.apply(pauses);

        for (Workload workload : chosen) {
            if (workload.replicas() == 0) {
                LOG.infof("phase=scale workload=%s replicas=0 changed=false", workload.id());
            } else {
                workloads.scale(workload.kind(), workload.name(), 0);
                LOG.infof("phase=scale workload=%s from=%d replicas=0", workload.id(), workload.replicas());
            }
        }
        awaitPodsGone(chosen, request.podsTimeout());
        if (request.drain().isPresent()) {
            request.drain().get().await(request.connectionsTimeout(), polling);
        }
        return new Outcome(record, false);
    }

    private List<WriterSelection.Selected> select(Request request) {
        List<Workload> candidates = request.labelSelector().isPresent()
                ? workloads.list(request.labelSelector().get())
                : workloads.list();
        WriterSelection.Result result = request.selection().select(candidates);
        for (WriterSelection.Selected excluded : result.excludedDatabases()) {
            LOG.warnf(
                    "phase=select workload=%s excluded=true reason=\"%s: the database is never frozen\"",
                    excluded.workload().id(), excluded.reason());
        }
        for (WriterSelection.Selected chosen : result.selected()) {
            LOG.infof(
                    "phase=select workload=%s replicas=%d reason=\"%s\"",
                    chosen.workload().id(), chosen.workload().replicas(), chosen.reason());
        }
        List<String> missingNames = result.unmatchedPatterns().stream()
                .filter(p -> !p.contains("*") && !p.contains("?"))
                .toList();
        if (!missingNames.isEmpty()) {
            throw StepFailure.badConfiguration("FERRY_FREEZE_WORKLOADS names " + String.join(", ", missingNames)
                    + " but namespace " + workloads.namespace() + " has no Deployment or StatefulSet of that name");
        }
        result.unmatchedPatterns().forEach(glob -> LOG.warnf("phase=select pattern=%s matched=0", glob));
        if (result.selected().isEmpty()) {
            throw StepFailure.badConfiguration(
                    "no Onyx writer to freeze in namespace " + workloads.namespace() + " (checked " + candidates.size()
                            + " Deployments/StatefulSets); set FERRY_NAMESPACE, FERRY_FREEZE_WORKLOADS or FERRY_FREEZE_SELECTOR");
        }
        return result.selected();
    }

    private static void refuseGitOps(List<WriterSelection.Selected> selected, boolean ignore) {
        List<String> managed = new ArrayList<>();
        for (WriterSelection.Selected chosen : selected) {
            GitOpsGuard.controller(chosen.workload())
                    .ifPresent(controller -> managed.add(chosen.workload().id() + " by " + controller));
        }
        if (managed.isEmpty()) {
            return;
        }
        if (ignore) {
            managed.forEach(m -> LOG.warnf("phase=check-gitops managed=\"%s\" ignored=true", m));
            return;
        }
        throw StepFailure.refused("GitOps controllers would scale the writers back up: " + String.join("; ", managed)
                + ". Suspend auto-sync/self-heal (or the Flux reconciliation) and set FERRY_FREEZE_IGNORE_GITOPS=true");
    }

    /**
     * The counts to bring back. A workload still running records what it runs now; one already at 0
     * (a second freeze, or a retry after a crash) keeps what the first freeze recorded, from its
     * annotation or from freeze.json, so 0 is never recorded over a real count.
     */
    static Manifest.Freeze record(String namespace, List<Workload> chosen, Optional<Manifest.Freeze> previous) {
        Map<String, Manifest.FrozenWorkload> byId = new LinkedHashMap<>();
        previous.ifPresent(p -> p.workloads().forEach(w -> byId.put(w.kind() + "/" + w.name(), w)));
        for (Workload workload : chosen) {
            int replicas = workload.replicas();
            if (replicas == 0) {
                OptionalInt annotated = workload.recordedOriginalReplicas();
                Manifest.FrozenWorkload earlier = byId.get(workload.id());
                if (annotated.isPresent()) {
                    replicas = annotated.getAsInt();
                } else if (earlier != null) {
                    replicas = earlier.replicas();
                } else {
                    LOG.warnf(
                            "phase=record workload=%s replicas=0 reason=\"already at 0 with no earlier record: scale-up leaves it at 0\"",
                            workload.id());
                }
            }
            byId.put(workload.id(), new Manifest.FrozenWorkload(workload.kind().kind(), workload.name(), replicas));
        }
        Instant frozenAt = previous.map(Manifest.Freeze::frozenAt).orElse(Instant.now());
        return new Manifest.Freeze(namespace, frozenAt, new ArrayList<>(byId.values()));
    }

    private static void addToManifest(Path workdir, Manifest.Freeze record) {
        Workspace workspace = Workspace.at(workdir);
        if (!workspace.hasManifest()) {
            return;
        }
        workspace.writeManifest(workspace.readManifest().withFreeze(record));
        LOG.infof("phase=record manifest=%s", workspace.manifestFile());
    }

    private void awaitPodsGone(List<Workload> chosen, Duration timeout) throws InterruptedException {
        Map<String, List<Pod>> remaining = new LinkedHashMap<>();
        boolean gone = polling.until(timeout, () -> {
            remaining.clear();
            for (Workload workload : chosen) {
                List<Pod> pods = workloads.pods(workload);
                if (!pods.isEmpty()) {
                    remaining.put(workload.id(), pods);
                }
            }
            return remaining.isEmpty();
        });
        if (!gone) {
            List<String> left = new ArrayList<>();
            remaining.forEach((id, pods) -> left.add(id + ": "
                    + String.join(
                            ", ",
                            pods.stream().map(p -> p.getMetadata().getName()).toList())));
            throw StepFailure.timedOut(
                    "pods still running " + timeout.toSeconds() + "s after scaling to 0: " + String.join("; ", left));
        }
        LOG.infof("phase=wait-pods workloads=%d pods=0", chosen.size());
    }
}
