package dev.ferry.core;

import dev.ferry.core.manifest.PhaseTiming;
import dev.ferry.core.workspace.Workspace;
import io.quarkus.runtime.QuarkusApplication;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Base of every step's entry class: runs the step's work and turns its outcome into one exit code
 * and one final log line, so every step reports failures the same way.
 */
public abstract class StepCommand implements QuarkusApplication {

    private static final Logger LOG = Logger.getLogger(StepCommand.class);

    /**
     * The program's own start, JVM start-up included: what a pipeline waits for is the whole program. The JVM
     * records it to the millisecond; the process table's start time (/proc) is only as exact as the boot time
     * it counts from, a second, which would overlap consecutive steps in the timeline.
     */
    private final Instant startedAt = programStart();

    private static Instant programStart() {
        try {
            return Instant.ofEpochMilli(
                    java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
        } catch (RuntimeException | Error unavailable) {
            return Instant.now(); // a native image without the management beans: it starts in milliseconds
        }
    }

    /** When this step's program started: the start of its phase in the migration's timeline. */
    protected final Instant startedAt() {
        return startedAt;
    }

    /**
     * The step's name as it appears in logs, the README and the Task's name: the command class's name
     * without {@code Command}, in kebab case ({@code ScaleUpCommand} is {@code scale-up}).
     */
    protected String stepName() {
        return nameOf(getClass());
    }

    /** The name of the step whose command is {@code command}, or a subclass the container generated for it. */
    static String nameOf(Class<?> command) {
        Class<?> type = command;
        while (type.getSuperclass() != StepCommand.class && type.getSuperclass() != null) {
            type = type.getSuperclass();
        }
        return type.getSimpleName()
                .replaceFirst("Command$", "")
                .replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                .toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Does the step's work and says what it did; throws {@link StepFailure} for every failure the user
     * can act on. The summary becomes the fields of the final {@code outcome=done} line.
     */
    protected abstract StepSummary execute(String... args) throws Exception;

    @Override
    public final int run(String... args) {
        long started = System.nanoTime();
        AtomicBoolean finished = new AtomicBoolean();
        Thread onSignal = new Thread(() -> stoppedBySignal(finished, started), "ferry-stop");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            return outcome(started, args);
        } finally {
            finished.set(true);
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException alreadyStopping) {
                // The JVM is shutting down: the hook runs, and sees the step finished.
            }
        }
    }

    /**
     * Runs on SIGTERM (and any other JVM shutdown) while the step is still working: stops its children,
     * removes its secret files, and ends with the outcome line every failure ends with. Written to stderr
     * directly, since the logging framework may already be shutting down beside this hook.
     */
    private void stoppedBySignal(AtomicBoolean finished, long started) {
        if (finished.get()) {
            return;
        }
        StepStop.undoAll();
        System.err.printf(
                java.util.Locale.ROOT,
                "step=%s outcome=failed exit=%d (%s): stopped from outside after %.1fs "
                        + "(SIGTERM: a cancelled or timed-out run, or a drained node); its child processes were stopped and its "
                        + "secret files removed%n",
                stepName(),
                ExitCode.STOPPED.code(),
                ExitCode.STOPPED.meaning(),
                elapsedSeconds(started));
        System.err.flush();
    }

    private int outcome(long started, String... args) {
        try {
            StepSummary summary = execute(args);
            String fields = summary == null ? "" : summary.render();
            if (StepStop.stopping()) {
                return ExitCode.STOPPED.code(); // the signal hook writes the final line
            }
            if (summary != null) {
                summary.timed().ifPresent(this::recordPhase);
            }
            LOG.infof(
                    "step=%s outcome=done seconds=%.1f startup_seconds=%.2f%s",
                    stepName(), elapsedSeconds(started), startupSeconds(started), fields.isEmpty() ? "" : " " + fields);
            return ExitCode.DONE.code();
        } catch (StepFailure failure) {
            ExitCode exitCode = failure.exitCode();
            if (StepStop.stopping()) {
                return ExitCode.STOPPED.code(); // a child failed because it was stopped: not the cause to report
            }
            LOG.errorf(
                    "step=%s outcome=failed exit=%d (%s): %s",
                    stepName(), exitCode.code(), exitCode.meaning(), failure.getMessage());
            if (failure.getCause() != null) {
                LOG.debug("cause", failure.getCause());
            }
            return exitCode.code();
        } catch (Exception | Error unexpected) {
            if (StepStop.stopping()) {
                return ExitCode.STOPPED.code();
            }
            LOG.errorf(
                    unexpected,
                    "step=%s outcome=failed exit=%d (%s): %s",
                    stepName(),
                    ExitCode.UNEXPECTED.code(),
                    ExitCode.UNEXPECTED.meaning(),
                    unexpected);
            return ExitCode.UNEXPECTED.code();
        }
    }

    /**
     * The timeline is a report, not the migration: a workspace that takes the step's outputs but not this one
     * small file must not turn a finished step into a failed one.
     */
    private void recordPhase(StepSummary.Timed timed) {
        try {
            timed.workspace()
                    .recordPhase(
                            new PhaseTiming(stepName(), timed.migrationId(), startedAt, Instant.now(), timed.bytes()));
        } catch (RuntimeException unwritable) {
            LOG.warnf(
                    "phase=timeline note=\"this run is not in %s\" error=\"%s\"",
                    Workspace.TIMELINE, unwritable.getMessage());
        }
    }

    /**
     * From the program's start to its work's: the JVM's and the framework's start, which {@code seconds} leaves out
     * and a step in the cutover's window adds to the outage all the same.
     */
    private double startupSeconds(long workStartedNanos) {
        long workStartedAt = System.currentTimeMillis() - (System.nanoTime() - workStartedNanos) / 1_000_000;
        return Math.max(0, workStartedAt - startedAt.toEpochMilli()) / 1000.0;
    }

    private static double elapsedSeconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
