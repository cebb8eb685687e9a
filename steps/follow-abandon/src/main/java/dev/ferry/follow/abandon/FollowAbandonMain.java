package dev.ferry.follow.abandon;

import dev.ferry.core.StepLauncher;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Entry point of the follow-abandon step program. */
@QuarkusMain
public class FollowAbandonMain {

    public static void main(String... args) {
        StepLauncher.launch(FollowAbandonCommand.class, args);
    }
}
