package dev.ferry.scaleup;

import dev.ferry.core.StepLauncher;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Entry point of the scale-up (and unfreeze) step program. */
@QuarkusMain
public class ScaleUpMain {

    public static void main(String... args) {
        StepLauncher.launch(ScaleUpCommand.class, args);
    }
}
