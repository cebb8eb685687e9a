package dev.ferry.scaleup;

import dev.ferry.core.StepFailure;
import dev.ferry.kube.GuardedRuns;
import dev.ferry.kube.Polling;
import dev.ferry.kube.Workloads;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The unfreeze that does not depend on the run's own {@code finally}: a Tekton PipelineRun that times out or is
 * cancelled skips {@code finally} altogether, an Argo Workflow that is terminated or stopped skips its onExit handler,
 * and a lost node takes the unfreeze's own pod with it. Started
 * by freeze as a Job of its own, before any writer is scaled down, the guard waits for the run to end, then brings
 * the writers back from the {@code ferry.dev/original-replicas} annotations freeze left on them, unless the run got
 * far enough that they must stay frozen. It runs after {@code finally} (a PipelineRun ends only after it), so when
 * {@code finally} already unfroze there is no annotation left and the guard changes nothing.
 */
public final class UnfreezeGuard {

    private static final Logger LOG = Logger.getLogger(UnfreezeGuard.class);
    /** Left on each workload the guard brought back, for the operator who wonders why Onyx is up. */
    public static final String UNFROZEN_BY = "ferry.dev/unfrozen-by";

    /** When the writers stay frozen: a pipeline task that succeeded, or that was started at all. */
    public record KeepFrozenIf(String pipelineTask, boolean startedIsEnough) {

        static KeepFrozenIf parse(String setting) {
            String[] parts = setting.strip().split(":", -1);
            if (parts.length != 2
                    || parts[0].isBlank()
                    || !(parts[1].equals("succeeded") || parts[1].equals("started"))) {
                throw StepFailure.badConfiguration("FERRY_SCALE_UP_GUARD_KEEP_FROZEN_IF is \"" + setting
                        + "\": give <pipeline task>:succeeded or <pipeline task>:started, e.g. upload:succeeded");
            }
            return new KeepFrozenIf(parts[0], parts[1].equals("started"));
        }

        boolean holds(Optional<GuardedRuns.RunState> task) {
            return task.isPresent() && (startedIsEnough || task.get().state() == GuardedRuns.State.SUCCEEDED);
        }

        String describe() {
            return pipelineTask + (startedIsEnough ? " started" : " succeeded");
        }
    }

    /** What the guard saw and did. */
    public record Outcome(
            String run, String runState, boolean unfroze, String reason, ReplicaRestorer.Outcome restored) {}

    private final GuardedRuns runs;
    private final Workloads workloads;
    private final ReplicaRestorer restorer;
    private final Polling polling;

    public UnfreezeGuard(GuardedRuns runs, Workloads workloads, ReplicaRestorer restorer, Polling polling) {
        this.runs = runs;
        this.workloads = workloads;
        this.restorer = restorer;
        this.polling = polling;
    }

    /**
     * Waits up to {@code wait} for the run {@code run} (a PipelineRun or a Workflow) to end, then decides; {@code rolloutTimeout} bounds the
     * unfreeze's wait for the writers' rollouts.
     */
    public Outcome guard(String run, KeepFrozenIf keepFrozenIf, Duration wait, Duration rolloutTimeout, Path workdir)
            throws InterruptedException {
        LOG.infof(
                "phase=guard run=%s/%s keep_frozen_if=\"%s\" waiting_up_to=%s",
                runs.kind(), run, keepFrozenIf.describe(), wait);
        AtomicReference<GuardedRuns.RunState> last = new AtomicReference<>();
        boolean ended = polling.until(wait, () -> {
            GuardedRuns.RunState state = runs.run(run);
            last.set(state);
            return state.done();
        });
        GuardedRuns.RunState state = last.get();
        String reason;
        if (!ended) {
            reason = runs.kind() + " " + run + " did not end within " + wait + " (FERRY_SCALE_UP_GUARD_WAIT)";
        } else if (state.state() == GuardedRuns.State.GONE) {
            reason = runs.kind() + " " + run + " is gone (deleted before it ended, or never created)";
        } else {
            Optional<GuardedRuns.RunState> task = runs.task(run, keepFrozenIf.pipelineTask());
            if (keepFrozenIf.holds(task)) {
                LOG.infof(
                        "phase=guard pipelinerun=%s run=\"%s\" decision=keep-frozen reason=\"%s %s\"",
                        run,
                        state.describe(),
                        keepFrozenIf.pipelineTask(),
                        task.get().describe());
                return new Outcome(run, state.describe(), false, keepFrozenIf.describe(), null);
            }
            reason = runs.kind() + " " + run + " ended " + state.describe() + " and " + keepFrozenIf.pipelineTask()
                    + task.map(t -> " ended " + t.describe()).orElse(" never ran");
        }
        LOG.infof("phase=guard run=%s/%s decision=unfreeze reason=\"%s\"", runs.kind(), run, reason);
        ReplicaRestorer.Outcome restored = restorer.restore(new ReplicaRestorer.Request(
                ScaleUpConfig.Source.ANNOTATIONS, Optional.empty(), false, rolloutTimeout, workdir));
        String note = "unfreeze guard at " + Instant.now() + ": " + reason;
        restored.restored()
                .forEach(target -> workloads.annotate(target.kind(), target.name(), Map.of(UNFROZEN_BY, note)));
        return new Outcome(run, ended ? state.describe() : "running", true, reason, restored);
    }
}
