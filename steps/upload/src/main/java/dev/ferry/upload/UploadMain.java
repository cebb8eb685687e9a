package dev.ferry.upload;

import dev.ferry.core.StepLauncher;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Entry point of the upload step program. */
@QuarkusMain
public class UploadMain {

    public static void main(String... args) {
        StepLauncher.launch(UploadCommand.class, args);
    }
}
