package dev.ferry.follow.apply;

import dev.ferry.core.StepLauncher;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Entry point of the follow-apply step program. */
@QuarkusMain
public class FollowApplyMain {

    public static void main(String... args) {
        StepLauncher.launch(FollowApplyCommand.class, args);
    }
}
