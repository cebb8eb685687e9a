package dev.ferry.follow.capture;

import dev.ferry.core.StepLauncher;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Entry point of the follow-capture step program. */
@QuarkusMain
public class FollowCaptureMain {

    public static void main(String... args) {
        StepLauncher.launch(FollowCaptureCommand.class, args);
    }
}
