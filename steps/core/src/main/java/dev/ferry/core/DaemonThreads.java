package dev.ferry.core;

import java.util.concurrent.ThreadFactory;

/**
 * Threads that never keep a step's JVM alive: a step ends with its command's outcome, and a helper
 * thread still blocked on a tool's pipe or a query must not hold the exit (Tekton waits for the exit).
 */
public final class DaemonThreads {

    private DaemonThreads() {}

    /** A factory of daemon threads all called {@code name}. */
    public static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
