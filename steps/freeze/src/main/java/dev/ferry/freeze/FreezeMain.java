package dev.ferry.freeze;

import dev.ferry.core.StepLauncher;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Entry point of the freeze step program. */
@QuarkusMain
public class FreezeMain {

    public static void main(String... args) {
        StepLauncher.launch(FreezeCommand.class, args);
    }
}
