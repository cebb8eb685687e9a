package dev.ferry.core;

/**
 * The one exit-code table every Ferry step obeys, so a pipeline (and a person) can tell a refused
 * precondition from a failed verification without reading logs.
 */
public enum ExitCode {
    /** The step did all it was asked to do. */
    DONE(0, "done"),
    /** Something nobody planned for: a bug, a crash, an I/O error the step cannot classify. */
    UNEXPECTED(1, "unexpected failure"),
    /** A setting is missing or malformed; the message names the one to fix. */
    BAD_CONFIGURATION(2, "bad configuration"),
    /** The step refused to act because doing so could lose data or leave a service down. */
    REFUSED(3, "refused by a safety precondition"),
    /** A checksum, a manifest or a validation did not match. */
    VERIFICATION_FAILED(4, "verification failed"),
    /** Waiting for pods, a rollout, a job or a tool took longer than allowed. */
    TIMED_OUT(5, "timed out"),
    /**
     * Stopped from outside by SIGTERM before it finished (128 + 15, what the JVM and every shell report);
     * children are stopped and secret files removed first.
     */
    STOPPED(143, "stopped by a signal");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}
