package dev.ferry.scaleup;

import dev.ferry.kube.ScaledObjects;
import dev.ferry.kube.Workload;
import dev.ferry.kube.Workloads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Brings the frozen writers back: scales each to its recorded count, clears freeze's annotation
 * (so a later freeze records afresh), removes the KEDA pauses freeze added (KEDA takes over again) and
 * waits for the rollouts. Doing it twice changes nothing the second time: counts already right are not
 * written, absent annotations are not patched.
 */
public final class ReplicaRestorer {

    private static final Logger LOG = Logger.getLogger(ReplicaRestorer.class);

    /** Everything one scale-up run needs, already resolved from the configuration. */
    public record Request(
            ScaleUpConfig.Source from, Optional<String> overrides, boolean dryRun, Duration timeout, Path workdir) {}

    /** The targets, and the recorded workloads that do not exist in this namespace. */
    public record Outcome(List<RestorePlan.Target> restored, List<String> missing, boolean dryRun) {}

    private final Workloads workloads;
    private final ScaledObjects scaledObjects;
    private final RolloutWaiter rollouts;

    public ReplicaRestorer(Workloads workloads, ScaledObjects scaledObjects, RolloutWaiter rollouts) {
        this.workloads = workloads;
        this.scaledObjects = scaledObjects;
        this.rollouts = rollouts;
    }

    public Outcome restore(Request request) throws InterruptedException {
        List<Workload> inNamespace = workloads.list();
        List<RestorePlan.Target> plan =
                RestorePlan.resolve(request.from(), request.workdir(), inNamespace, request.overrides());
        if (plan.isEmpty()) {
            LOG.warnf(
                    "phase=plan workloads=0 reason=\"no freeze record (freeze.json, manifest.json, %s annotations) and no "
                            + "FERRY_SCALE_UP_REPLICAS: nothing to scale\"",
                    Workload.ORIGINAL_REPLICAS);
            if (!request.dryRun()) {
                resumeKeda(); // a freeze that paused KEDA but lost its record: KEDA brings the writers back
            }
            return new Outcome(List.of(), List.of(), request.dryRun());
        }
        List<RestorePlan.Target> present = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (RestorePlan.Target target : plan) {
            Optional<Workload> current = inNamespace.stream()
                    .filter(w -> w.kind() == target.kind() && w.name().equals(target.name()))
                    .findFirst();
            if (current.isEmpty()) {
                LOG.warnf(
                        "phase=plan workload=%s missing=true reason=\"recorded but not in namespace %s\"",
                        target.id(), workloads.namespace());
                missing.add(target.id());
                continue;
            }
            LOG.infof(
                    "phase=plan workload=%s from=%d replicas=%d source=\"%s\"",
                    target.id(), current.get().replicas(), target.replicas(), target.source());
            present.add(target);
        }
        if (request.dryRun()) {
            LOG.infof("phase=dry-run workloads=%d changed=none", present.size());
            return new Outcome(present, missing, true);
        }
        for (RestorePlan.Target target : present) {
            Workload current = workloads.find(target.kind(), target.name()).orElseThrow();
            scale(target, current, true);
            if (current.annotations().containsKey(Workload.ORIGINAL_REPLICAS)) {
                workloads.annotate(
                        target.kind(), target.name(), Collections.singletonMap(Workload.ORIGINAL_REPLICAS, null));
                LOG.infof("phase=clear-annotation workload=%s annotation=%s", target.id(), Workload.ORIGINAL_REPLICAS);
            }
        }
        if (resumeKeda() > 0) {
            // KEDA may have acted on its pause between the counts and the resume: set again what it changed.
            for (RestorePlan.Target target : present) {
                scale(target, workloads.find(target.kind(), target.name()).orElseThrow(), false);
            }
        }
        rollouts.await(present, request.timeout());
        return new Outcome(present, missing, false);
    }

    private void scale(RestorePlan.Target target, Workload current, boolean logUnchanged) {
        if (current.replicas() != target.replicas()) {
            workloads.scale(target.kind(), target.name(), target.replicas());
            LOG.infof(
                    "phase=scale workload=%s from=%d replicas=%d", target.id(), current.replicas(), target.replicas());
        } else if (logUnchanged) {
            LOG.infof("phase=scale workload=%s replicas=%d changed=false", target.id(), target.replicas());
        }
    }

    /**
     * Removes every pause freeze put on a KEDA ScaledObject (those it marked as its own), and no other:
     * an operator's pause stays. The marker, not the freeze record, decides, so this works without the
     * workspace too.
     */
    private int resumeKeda() {
        int resumed = 0;
        for (ScaledObjects.ScaledObject scaledObject : scaledObjects.list()) {
            if (scaledObject.pausedByFerry()) {
                scaledObjects.resume(scaledObject);
                LOG.infof(
                        "phase=keda scaledobject=%s target=%s/%s resumed=true",
                        scaledObject.name(), scaledObject.targetKind(), scaledObject.targetName());
                resumed++;
            }
        }
        return resumed;
    }
}
