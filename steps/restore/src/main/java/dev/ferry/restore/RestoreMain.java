package dev.ferry.restore;

import dev.ferry.core.StepLauncher;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Entry point of the restore step program. */
@QuarkusMain
public class RestoreMain {

    public static void main(String... args) {
        StepLauncher.launch(RestoreCommand.class, args);
    }
}
