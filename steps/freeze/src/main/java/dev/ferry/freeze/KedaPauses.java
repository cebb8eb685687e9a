package dev.ferry.freeze;

import dev.ferry.core.StepFailure;
import dev.ferry.kube.ScaledObjects;
import dev.ferry.kube.ScaledObjects.ScaledObject;
import dev.ferry.kube.Workload;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Keeps KEDA from undoing the freeze. Onyx's chart (autoscaling.engine=keda) gives api-server, the web
 * server and every celery worker a ScaledObject with {@code minReplicaCount} of at least 1, and KEDA scales
 * a target back to that minimum within one polling interval. So every ScaledObject that targets a writer
 * is paused at 0 before the writer is scaled down; those of other workloads are left alone. A pause its
 * operator already set is kept as it is, unless it would hold a writer above 0, which is refused.
 */
final class KedaPauses {

    private static final Logger LOG = Logger.getLogger(KedaPauses.class);

    /** The ScaledObjects Ferry pauses, by name, and those of them a previous freeze already paused. */
    record Plan(List<String> toPause, Set<String> alreadyPaused) {}

    private final ScaledObjects scaledObjects;

    KedaPauses(ScaledObjects scaledObjects) {
        this.scaledObjects = scaledObjects;
    }

    /** Decides what to pause, before anything is written; refuses an operator's pause above 0 on a writer. */
    Plan plan(List<Workload> writers) {
        List<String> toPause = new ArrayList<>();
        Set<String> alreadyPaused = new HashSet<>();
        List<String> heldAboveZero = new ArrayList<>();
        for (ScaledObject scaledObject : scaledObjects.list()) {
            Workload writer =
                    writers.stream().filter(scaledObject::targets).findFirst().orElse(null);
            if (writer == null) {
                continue;
            }
            if (scaledObject.operatorPause().isPresent()) {
                if (!scaledObject.operatorPauseHoldsZero()) {
                    heldAboveZero.add("ScaledObject " + scaledObject.name() + " ("
                            + scaledObject.operatorPause().get() + ") holds " + writer.id());
                    continue;
                }
                LOG.infof(
                        "phase=keda scaledobject=%s target=%s paused_by=operator pause=\"%s\" kept=true",
                        scaledObject.name(),
                        writer.id(),
                        scaledObject.operatorPause().get());
                continue;
            }
            toPause.add(scaledObject.name());
            if (scaledObject.pausedByFerry()) {
                alreadyPaused.add(scaledObject.name());
            }
        }
        if (!heldAboveZero.isEmpty()) {
            throw StepFailure.refused(
                    "KEDA would keep writers running while frozen: " + String.join("; ", heldAboveZero)
                            + ". Set that annotation to \"0\" or remove it, then freeze again");
        }
        return new Plan(toPause, alreadyPaused);
    }

    /** Pauses each planned ScaledObject that is not paused yet. */
    void apply(Plan plan) {
        for (String name : plan.toPause()) {
            if (plan.alreadyPaused().contains(name)) {
                LOG.infof("phase=keda scaledobject=%s paused=true changed=false", name);
            } else {
                scaledObjects.pause(name);
                LOG.infof(
                        "phase=keda scaledobject=%s paused=true annotation=%s=0", name, ScaledObjects.PAUSED_REPLICAS);
            }
        }
    }
}
