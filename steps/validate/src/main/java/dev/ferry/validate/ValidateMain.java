package dev.ferry.validate;

import dev.ferry.core.StepLauncher;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Entry point of the validate step program. */
@QuarkusMain
public class ValidateMain {

    public static void main(String... args) {
        StepLauncher.launch(ValidateCommand.class, args);
    }
}
