package dev.ferry.core;

import io.quarkus.runtime.QuarkusApplication;
import org.jboss.logging.Logger;

/**
 * Base of every step's entry class: runs the step's work and turns its outcome into one exit code
 * and one final log line, so every step reports failures the same way.
 */
public abstract class StepCommand implements QuarkusApplication {

    private static final Logger LOG = Logger.getLogger(StepCommand.class);

    /** The step's name as it appears in logs and the README (dump, upload, …). */
    protected abstract String stepName();

    /** Does the step's work; throws {@link StepFailure} for every failure the user can act on. */
    protected abstract void execute(String... args) throws Exception;

    @Override
    public final int run(String... args) {
        long started = System.nanoTime();
        try {
            execute(args);
            LOG.infof("step=%s outcome=done seconds=%.1f", stepName(), elapsedSeconds(started));
            return ExitCode.DONE.code();
        } catch (StepFailure failure) {
            ExitCode exitCode = failure.exitCode();
            LOG.errorf("step=%s outcome=failed exit=%d (%s): %s", stepName(), exitCode.code(), exitCode.meaning(),
                    failure.getMessage());
            if (failure.getCause() != null) {
                LOG.debug("cause", failure.getCause());
            }
            return exitCode.code();
        } catch (Exception | Error unexpected) {
            LOG.errorf(unexpected, "step=%s outcome=failed exit=%d (%s): %s", stepName(), ExitCode.UNEXPECTED.code(),
                    ExitCode.UNEXPECTED.meaning(), unexpected);
            return ExitCode.UNEXPECTED.code();
        }
    }

    private static double elapsedSeconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
