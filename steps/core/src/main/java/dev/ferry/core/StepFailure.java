package dev.ferry.core;

/**
 * A failure the step understands: it carries the exit code and a one-line message for the user.
 * Anything else that escapes a step is reported as {@link ExitCode#UNEXPECTED}.
 */
public class StepFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ExitCode exitCode;

    public StepFailure(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public StepFailure(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /** A missing or malformed setting: the message should name the environment variable to fix. */
    public static StepFailure badConfiguration(String message) {
        return new StepFailure(ExitCode.BAD_CONFIGURATION, message);
    }

    public static StepFailure refused(String message) {
        return new StepFailure(ExitCode.REFUSED, message);
    }

    public static StepFailure verificationFailed(String message) {
        return new StepFailure(ExitCode.VERIFICATION_FAILED, message);
    }

    public static StepFailure timedOut(String message) {
        return new StepFailure(ExitCode.TIMED_OUT, message);
    }
}
