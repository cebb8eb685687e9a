package dev.ferry.upload;

import dev.ferry.core.StepCommand;
import dev.ferry.core.StepFailure;
import dev.ferry.core.ExitCode;

/** PLACEHOLDER — replaced by the real upload step. */
public class UploadCommand extends StepCommand {

    @Override
    protected String stepName() {
        return "upload";
    }

    @Override
    protected void execute(String... args) {
        throw new StepFailure(ExitCode.UNEXPECTED, "upload is not built yet");
    }
}
