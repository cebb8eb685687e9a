package dev.ferry.dump;

import dev.ferry.core.StepCommand;
import dev.ferry.core.StepFailure;
import dev.ferry.core.ExitCode;

/** PLACEHOLDER — replaced by the real dump step. */
public class DumpCommand extends StepCommand {

    @Override
    protected String stepName() {
        return "dump";
    }

    @Override
    protected void execute(String... args) {
        throw new StepFailure(ExitCode.UNEXPECTED, "dump is not built yet");
    }
}
