package dev.ferry.dump;

import dev.ferry.core.StepLauncher;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Entry point of the dump step program. */
@QuarkusMain
public class DumpMain {

    public static void main(String... args) {
        StepLauncher.launch(DumpCommand.class, args);
    }
}
