package dev.ferry.testing;

/** How a step program ended: its exit code and everything it wrote (stdout and stderr together). */
public record StepRun(int exitCode, String output) {

    /** The line the step logs when it fails: {@code step=… outcome=failed exit=N (…): message}. */
    public String failureLine() {
        return output.lines()
                .filter(line -> line.contains("outcome=failed"))
                .findFirst()
                .orElse("");
    }

    @Override
    public String toString() {
        return "exit " + exitCode + ", output:\n" + output;
    }
}
