package dev.ferry.follow.cutover;

import dev.ferry.core.StepLauncher;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Entry point of the follow-cutover step program. */
@QuarkusMain
public class FollowCutoverMain {

    public static void main(String... args) {
        StepLauncher.launch(FollowCutoverCommand.class, args);
    }
}
