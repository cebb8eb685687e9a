package dev.ferry.core;

import io.quarkus.runtime.QuarkusApplication;
import org.jboss.logging.Logger;

/**
 * Base of every step's entry class: runs the step's work and turns its outcome into one exit code
 * and one final log line, so every step reports failures the same way.
 */
public abstract class StepCommand implements QuarkusApplication {

    private static final Logger LOG = Logger.getLogger(StepCommand.class);

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
        try {
            StepSummary summary = execute(args);
            String fields = summary == null ? "" : summary.render();
            LOG.infof(
                    "step=%s outcome=done seconds=%.1f%s",
                    stepName(), elapsedSeconds(started), fields.isEmpty() ? "" : " " + fields);
            return ExitCode.DONE.code();
        } catch (StepFailure failure) {
            ExitCode exitCode = failure.exitCode();
            LOG.errorf(
                    "step=%s outcome=failed exit=%d (%s): %s",
                    stepName(), exitCode.code(), exitCode.meaning(), failure.getMessage());
            if (failure.getCause() != null) {
                LOG.debug("cause", failure.getCause());
            }
            return exitCode.code();
        } catch (Exception | Error unexpected) {
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

    private static double elapsedSeconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
