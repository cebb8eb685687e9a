package dev.ferry.harness;

/** How a pipeline task ended, in the words {@code $(tasks.<t>.status)} uses (skipped tasks read as None). */
public enum TaskStatus {
    SUCCEEDED("Succeeded"),
    FAILED("Failed"),
    SKIPPED("None");

    private final String tektonName;

    TaskStatus(String tektonName) {
        this.tektonName = tektonName;
    }

    public String tektonName() {
        return tektonName;
    }

    /** How a person reads it in a summary: Succeeded, Failed or Skipped. */
    public String label() {
        return this == SKIPPED ? "Skipped" : tektonName;
    }
}
