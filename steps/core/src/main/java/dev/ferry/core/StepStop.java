package dev.ferry.core;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a step must undo when it is stopped from outside (SIGTERM from the kubelet on cancel, timeout or
 * node drain) before it finished: child processes it started (pg_dump, pg_restore, psql) and secret files
 * it wrote (the libpq passfile). The JVM runs shutdown hooks on SIGTERM but not the step's own finally
 * blocks, so the step registers each resource here while it holds it; the hook stops and removes what is
 * still registered and writes the step's final outcome line.
 */
public final class StepStop {

    /** How long the hook waits for a child to end after SIGTERM before killing it: well inside Kubernetes' 30 s grace. */
    static final long CHILD_GRACE_MILLIS = 5_000;

    private static final Set<Runnable> UNDO = new LinkedHashSet<>();
    private static final AtomicBoolean STOPPED = new AtomicBoolean();

    private StepStop() {}

    /** Registers {@code undo} until the returned handle is closed (the resource was released normally). */
    public static Registration onStop(Runnable undo) {
        synchronized (UNDO) {
            UNDO.add(undo);
        }
        return () -> {
            synchronized (UNDO) {
                UNDO.remove(undo);
            }
        };
    }

    /** A child process to stop, with everything it started, if the step is stopped while it runs. */
    public static Registration child(Process process) {
        return onStop(() -> stopTree(process));
    }

    /**
     * Stops {@code process} and everything it started: SIGTERM first, SIGKILL for whatever is still alive after
     * the grace period. Used on SIGTERM and when a tool outlives its timeout alike.
     */
    public static void stopTree(Process process) {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(CHILD_GRACE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** True once the JVM is being stopped: a step's own failure handling then stays quiet. */
    public static boolean stopping() {
        return STOPPED.get();
    }

    /**
     * Runs every registered undo once, the latest registered first, as nested finally blocks would: what was taken
     * last is released before what it was taken under (pg_dump stops, and lets go of its table locks, before the
     * follow it dumps for is removed).
     */
    static void undoAll() {
        STOPPED.set(true);
        List<Runnable> pending;
        synchronized (UNDO) {
            pending = new java.util.ArrayList<>(UNDO);
            UNDO.clear();
        }
        java.util.Collections.reverse(pending);
        for (Runnable undo : pending) {
            try {
                undo.run();
            } catch (RuntimeException e) {
                System.err.println("ferry: could not undo " + undo + " while stopping: " + e);
            }
        }
    }

    /** Closing deregisters; no checked exception, so it fits try-with-resources anywhere. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
