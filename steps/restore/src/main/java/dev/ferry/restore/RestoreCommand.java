package dev.ferry.restore;

import dev.ferry.core.StepCommand;
import dev.ferry.core.StepFailure;
import dev.ferry.core.ExitCode;

/** PLACEHOLDER — replaced by the real restore step. */
public class RestoreCommand extends StepCommand {

    @Override
    protected String stepName() {
        return "restore";
    }

    @Override
    protected void execute(String... args) {
        throw new StepFailure(ExitCode.UNEXPECTED, "restore is not built yet");
    }
}
