package dev.ferry.kube;

import java.util.Locale;
import java.util.Optional;

/** A pipeline run whose end the unfreeze guard waits for: a Tekton PipelineRun or an Argo Workflow. */
public interface GuardedRuns {

    /** Where a run, or one task of it, stands. */
    enum State {
        RUNNING,
        SUCCEEDED,
        FAILED,
        /** deleted, or never there */
        GONE
    }

    /** A state with the controller's reason or message for it ({@code PipelineRunTimeout}, {@code Cancelled}, …). */
    record RunState(State state, String reason) {
        public boolean done() {
            return state != State.RUNNING;
        }

        public String describe() {
            return state.name().toLowerCase(Locale.ROOT) + (reason.isEmpty() ? "" : " (" + reason + ")");
        }
    }

    /** What kind of run this is, for messages: {@code PipelineRun}, {@code Workflow}. */
    String kind();

    RunState run(String name);

    /** The state of the task {@code task} of run {@code run}; empty when it never started. */
    Optional<RunState> task(String run, String task);
}
