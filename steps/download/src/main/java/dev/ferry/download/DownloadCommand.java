package dev.ferry.download;

import dev.ferry.core.StepCommand;
import dev.ferry.core.StepFailure;
import dev.ferry.core.ExitCode;

/** PLACEHOLDER — replaced by the real download step. */
public class DownloadCommand extends StepCommand {

    @Override
    protected String stepName() {
        return "download";
    }

    @Override
    protected void execute(String... args) {
        throw new StepFailure(ExitCode.UNEXPECTED, "download is not built yet");
    }
}
