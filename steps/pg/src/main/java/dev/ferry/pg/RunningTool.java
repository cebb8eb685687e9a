package dev.ferry.pg;

import dev.ferry.core.StepFailure;
import dev.ferry.core.StepStop;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A client tool that is running: its stderr is always drained and kept (see {@link OutputTail}),
 * its stdin and stdout are either the caller's to stream through ({@link Streams}) or closed and
 * drained. It stops with the step (SIGTERM reaches it through {@link StepStop}) and when closed
 * before it ended, so no tool outlives the code that started it.
 */
public final class RunningTool implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RunningTool.class);

    /** Which of the tool's standard streams the caller uses. */
    public enum Streams {
        /** Neither: stdin closed at once, stdout drained into the result. */
        NONE,
        /** The caller writes the tool's stdin (e.g. COPY data for psql) and closes it. */
        INPUT,
        /** The caller reads the tool's stdout (e.g. pg_restore's SQL); the result's stdout is empty. */
        OUTPUT
    }

    private final PgTool tool;
    private final Process process;
    private final OutputTail stdout;
    private final OutputTail stderr;
    private final StepStop.Registration stopWithTheStep;

    RunningTool(PgTool tool, Process process, Streams streams) {
        this.tool = tool;
        this.process = process;
        String name = tool.executable();
        this.stopWithTheStep = StepStop.child(process);
        this.stderr = new OutputTail(
                process.getErrorStream(), name + "-stderr", line -> LOG.infof("tool=%s stderr: %s", name, line));
        this.stdout = streams == Streams.OUTPUT
                ? null
                : new OutputTail(
                        process.getInputStream(),
                        name + "-stdout",
                        line -> LOG.debugf("tool=%s stdout: %s", name, line));
        if (streams != Streams.INPUT) {
            closeQuietly(process.getOutputStream());
        }
    }

    public PgTool tool() {
        return tool;
    }

    /** The tool's stdin; only for {@link Streams#INPUT}. Closing it is the end of the input. */
    public OutputStream input() {
        return process.getOutputStream();
    }

    /** The tool's stdout; only for {@link Streams#OUTPUT}. */
    public InputStream output() {
        return process.getInputStream();
    }

    public ToolResult await(Duration timeout) {
        return await(timeout, timeout, () -> {});
    }

    /**
     * Waits for the tool's end, calling {@code tick} every {@code tickInterval} meanwhile; past
     * {@code timeout} the tool is stopped and the step fails with exit 5.
     */
    public ToolResult await(Duration timeout, Duration tickInterval, Runnable tick) {
        String name = tool.executable();
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    StepStop.stopTree(process);
                    throw StepFailure.timedOut(name + " did not finish within " + timeout
                            + " and was stopped; raise the step's timeout setting if the database is that large");
                }
                if (process.waitFor(Math.min(remaining, tickInterval.toNanos()), TimeUnit.NANOSECONDS)) {
                    break;
                }
                tick.run();
            }
            return new ToolResult(tool, process.exitValue(), stdout == null ? "" : stdout.await(), stderr.await());
        } catch (InterruptedException e) {
            StepStop.stopTree(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + " was interrupted", e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the tool (and any child of it) if it still runs. */
    public void stop() {
        if (process.isAlive()) {
            StepStop.stopTree(process);
        }
    }

    @Override
    public void close() {
        stop();
        stopWithTheStep.close();
    }

    private static void closeQuietly(OutputStream input) {
        try {
            input.close();
        } catch (java.io.IOException ignored) {
            // The tool may already have ended; nothing to close then.
        }
    }
}
