package dev.ferry.alembicrun;

import dev.ferry.core.StepLauncher;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Entry point of the alembic-run step program. */
@QuarkusMain
public class AlembicRunMain {

    public static void main(String... args) {
        StepLauncher.launch(AlembicRunCommand.class, args);
    }
}
