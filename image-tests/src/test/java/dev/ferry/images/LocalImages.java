package dev.ferry.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The step images as the tests use them: built once per test run by {@code hack/build-images.sh --local} from the
 * fast-jars the reactor just packaged, and podman run with {@code images/containers.conf}. Where no container can
 * run (no podman, or a runtime that refuses), the tests skip with one line saying why; in CI they fail instead,
 * since {@code bin/ferry-test} installs what they need.
 */
final class LocalImages {

    static final Path PROJECT_ROOT = Path.of(System.getProperty("ferry.project.root", ".."))
            .toAbsolutePath()
            .normalize();
    static final Path CONTAINERS_CONF = PROJECT_ROOT.resolve("images/containers.conf");
    static final Path BUILD_SCRIPT = PROJECT_ROOT.resolve("hack/build-images.sh");
    /** Every step that has an image: the script's own list, so a new step is built and tested without a second list. */
    static final List<String> STEPS = stepsOf(BUILD_SCRIPT);

    static final String BASE = "localhost/ferry-base:trixie";

    private static final String ALL_STEPS = "all_steps=(";

    private static boolean built;

    private LocalImages() {}

    /** Builds every step's image once per JVM, or skips (fails in CI) where containers cannot run here. */
    static synchronized void build() throws Exception {
        if (built) {
            return;
        }
        if (run(List.of("podman", "--version"), Path.of("/dev/null")).exitCode() != 0) {
            cannotRun(
                    "podman is not installed (hack/install-prerequisites.sh test installs podman, runc, debootstrap)");
        }
        Path log = Files.createDirectories(PROJECT_ROOT.resolve("image-tests/target"))
                .resolve("image-build.log");
        List<String> command = new ArrayList<>(List.of(BUILD_SCRIPT.toString(), "--local"));
        command.addAll(STEPS);
        long started = System.nanoTime();
        Result build = run(command, log);
        if (build.exitCode() != 0) {
            // A build runs containers too: tell "containers cannot run here" from a broken Containerfile. Without
            // the base, the base itself failed (no debootstrap, no mirror): a missing prerequisite, not a skip.
            Result base = run(List.of("podman", "image", "exists", BASE), Path.of("/dev/null"));
            if (base.exitCode() == 0) {
                Result probe =
                        run(List.of("podman", "run", "--rm", "--network", "host", BASE, "true"), Path.of("/dev/null"));
                if (probe.exitCode() != 0) {
                    cannotRun("containers cannot run here: " + probe.firstLine());
                }
            }
            throw new AssertionError("hack/build-images.sh --local failed (hack/install-prerequisites.sh test installs"
                    + " what it needs); the end of " + log + ":\n" + tail(log));
        }
        System.out.printf(
                "image-tests: built %d step images in %.0f s (log: %s)%n",
                STEPS.size(), (System.nanoTime() - started) / 1e9, log);
        built = true;
    }

    /** The steps of {@code all_steps=(…)} in the build script. */
    static List<String> stepsOf(Path script) {
        try {
            List<String> lines = Files.readAllLines(script).stream()
                    .filter(line -> line.startsWith(ALL_STEPS))
                    .toList();
            if (lines.size() != 1 || !lines.get(0).endsWith(")")) {
                throw new IllegalStateException(script + " must hold exactly one line " + ALL_STEPS + "…)");
            }
            String list = lines.get(0);
            return List.of(list.substring(ALL_STEPS.length(), list.length() - 1)
                    .strip()
                    .split("\\s+"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + script, e);
        }
    }

    /** Runs {@code podman} with the project's settings; its output goes to {@code log}. */
    static Result podman(List<String> arguments, Map<String, String> environment, Path log) throws Exception {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(arguments);
        return run(command, environment, log);
    }

    private static void cannotRun(String why) {
        if (System.getenv("CI") != null) {
            throw new AssertionError("image tests cannot run in CI: " + why);
        }
        Assumptions.abort("image tests skipped: " + why);
    }

    private static Result run(List<String> command, Path log) throws Exception {
        return run(command, Map.of(), log);
    }

    private static Result run(List<String> command, Map<String, String> environment, Path log) throws Exception {
        Path output = log.toString().equals("/dev/null") ? Files.createTempFile("ferry-podman", ".log") : log;
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("CONTAINERS_CONF", CONTAINERS_CONF.toString());
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException notInstalled) {
            return new Result(127, notInstalled.getMessage());
        }
        if (!process.waitFor(30, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end within 30 minutes");
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        if (output != log) {
            Files.delete(output);
        }
        return new Result(process.exitValue(), text);
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** How a command ended and what it wrote. */
    record Result(int exitCode, String output) {
        String firstLine() {
            return output.lines().filter(line -> !line.isBlank()).findFirst().orElse("exit " + exitCode);
        }

        Result assertSucceeded(String what) {
            assertThat(exitCode)
                    .as(what + " exited " + exitCode + ":\n" + output)
                    .isZero();
            return this;
        }
    }
}
