package dev.ferry.download;

import dev.ferry.core.StepLauncher;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Entry point of the download step program. */
@QuarkusMain
public class DownloadMain {

    public static void main(String... args) {
        StepLauncher.launch(DownloadCommand.class, args);
    }
}
