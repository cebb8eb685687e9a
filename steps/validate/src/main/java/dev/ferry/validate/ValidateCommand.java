package dev.ferry.validate;

import dev.ferry.core.StepCommand;
import dev.ferry.core.StepFailure;
import dev.ferry.core.ExitCode;

/** PLACEHOLDER — replaced by the real validate step. */
public class ValidateCommand extends StepCommand {

    @Override
    protected String stepName() {
        return "validate";
    }

    @Override
    protected void execute(String... args) {
        throw new StepFailure(ExitCode.UNEXPECTED, "validate is not built yet");
    }
}
