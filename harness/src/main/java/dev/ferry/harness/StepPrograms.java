package dev.ferry.harness;

import dev.ferry.testing.StepProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which local program a Task step runs. A Ferry image ({@code quay.io/ferry/ferry-<step>@…}) with
 * its entry point {@code /deployments/ferry-step} is the locally built
 * {@code steps/<step>/target/quarkus-app/quarkus-run.jar}; any other command of a Ferry image (the
 * PostgreSQL client tools the images ship, e.g. {@code dropdb}) is the tool of the same name in
 * {@code /usr/bin}. Anything else is refused rather than pretended.
 */
final class StepPrograms {

    static final String FERRY_ENTRY_POINT = "/deployments/ferry-step";
    private static final Pattern FERRY_IMAGE = Pattern.compile("quay\\.io/ferry/ferry-([a-z-]+)(?:[@:].*)?");
    private static final Path LOCAL_TOOLS = Path.of("/usr/bin");

    private final Path projectRoot;

    StepPrograms(Path projectRoot) {
        this.projectRoot = projectRoot;
    }

    /** The argv of the local program for a step of {@code image} with this command and args. */
    List<String> command(String image, List<String> command, List<String> args) {
        Matcher ferry = FERRY_IMAGE.matcher(image);
        if (!ferry.matches()) {
            throw new UnsupportedStep("image " + image + " is not a Ferry step image; the harness runs only those");
        }
        if (command.isEmpty()) {
            throw new UnsupportedStep(
                    "step of " + image + " has no command (the harness does not read image entry points)");
        }
        if (command.equals(List.of(FERRY_ENTRY_POINT))) {
            if (!args.isEmpty()) {
                throw new UnsupportedStep("Ferry step programs take no arguments, got " + args);
            }
            return StepProgram.javaCommand(
                    projectRoot.resolve("steps").resolve(ferry.group(1)).resolve("target/quarkus-app/quarkus-run.jar"));
        }
        Path tool = LOCAL_TOOLS.resolve(command.get(0)).normalize();
        if (command.get(0).contains("/") || !Files.isExecutable(tool)) {
            throw new UnsupportedStep(
                    "command " + command.get(0) + " of " + image + " has no local counterpart in " + LOCAL_TOOLS);
        }
        List<String> argv = new ArrayList<>();
        argv.add(tool.toString());
        argv.addAll(command.subList(1, command.size()));
        argv.addAll(args);
        return argv;
    }

    /** A step the harness cannot run locally; its TaskRun fails with this message. */
    static final class UnsupportedStep extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnsupportedStep(String message) {
            super(message);
        }
    }
}
