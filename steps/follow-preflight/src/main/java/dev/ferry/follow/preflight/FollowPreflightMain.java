package dev.ferry.follow.preflight;

import dev.ferry.core.StepLauncher;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Entry point of the follow-preflight step program. */
@QuarkusMain
public class FollowPreflightMain {

    public static void main(String... args) {
        StepLauncher.launch(FollowPreflightCommand.class, args);
    }
}
