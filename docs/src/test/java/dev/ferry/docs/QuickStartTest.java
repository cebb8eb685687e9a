package dev.ferry.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick start, run where it can run here (after kroxylicious's QuickStartDT, which runs its
 * quick-start guide's commands). An {@code oc apply -k} is built with {@code kubectl kustomize}; an
 * {@code oc create} runs as {@code kubectl create --dry-run=client}, its input pipe included; a command that needs
 * a live cluster is skipped with one line saying so, and so is every kubectl command when kubectl is missing. The
 * local rehearsal is not run a second time: EndToEndIT already runs it, so this test checks that the README's
 * command is exactly the one that runs it.
 */
class QuickStartTest {

    private static final Pattern BASH_BLOCK = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path scratch;

    @TestFactory
    Stream<DynamicTest> theClusterCommandsRunAsFarAsTheyCanWithoutACluster() {
        List<String> commands = commands(section("## Quick start on a cluster"));
        assertThat(commands)
                .as("the quick start installs, creates the Secrets and reads predicted-downtime")
                .anyMatch(c -> c.startsWith("oc apply -k deploy/"))
                .anyMatch(c -> c.contains("secret generic ferry-s3"))
                .anyMatch(c -> c.contains("secret generic ferry-encryption"))
                .anyMatch(c -> c.contains("predicted-downtime"));
        return commands.stream().map(command -> DynamicTest.dynamicTest(command, () -> check(command)));
    }

    @Test
    void theLocalCommandsAreTheOnesTheBuildRuns() throws IOException {
        List<String> commands = commands(section("## Try it locally"));
        assertThat(commands).containsExactly("bin/ferry-rehearsal", "bin/ferry-test");
        Path root = Reference.root();
        // bin/ferry-rehearsal runs LocalRehearsal, which runs the same Rehearsal (rehearsal.yaml through the harness)
        // that EndToEndIT runs end to end: running it here again would only double the build's longest test.
        assertThat(Files.readString(root.resolve("bin/ferry-rehearsal")))
                .contains("dev.ferry.rehearsal.LocalRehearsal");
        assertThat(Files.readString(root.resolve("rehearsal/src/main/java/dev/ferry/rehearsal/LocalRehearsal.java")))
                .contains("new Rehearsal(");
        assertThat(Files.readString(root.resolve("rehearsal/src/test/java/dev/ferry/rehearsal/EndToEndIT.java")))
                .contains("new Rehearsal(");
        // The tests' command is what CI runs, and it runs the whole build.
        assertThat(Files.readString(root.resolve(".ci/run"))).contains("exec bin/ferry-test");
        assertThat(Files.readString(root.resolve("bin/ferry-test"))).contains("./mvnw -B verify \"$@\"");
    }

    private void check(String command) throws Exception {
        Assumptions.assumeFalse(
                command.startsWith("oc project") || command.startsWith("oc get"), "needs a live cluster: " + command);
        Assumptions.assumeTrue(onPath("kubectl"), "no kubectl on this machine: " + command);
        Matcher apply = Pattern.compile("^oc apply -k (\\S+)$").matcher(command);
        if (apply.matches()) {
            Run run = run("kubectl kustomize " + apply.group(1));
            assertThat(run.exit()).as(run.output()).isZero();
            assertThat(run.output()).contains("kind: Pipeline", "kind: Task", "kind: Role");
            return;
        }
        String[] pipe = command.split(" \\| ", 2);
        String create = pipe[pipe.length - 1];
        assertThat(create)
                .as("a quick-start command this test knows how to check")
                .startsWith("oc create ");
        String dryRun = create.replaceFirst("^oc ", "kubectl ") + " --dry-run=client -o name";
        if (pipe.length == 2) {
            Assumptions.assumeTrue(
                    pipe[0].equals("bin/ferry-keyset new")
                            && Files.isRegularFile(Reference.root().resolve("steps/crypto/target/keyset.classpath")),
                    "the keyset tool is not built here: " + pipe[0]);
            dryRun = pipe[0] + " | " + dryRun;
        }
        Run run = run(dryRun);
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).containsPattern("(secret|configmap)/ferry-");
    }

    private record Run(int exit, String output) {}

    private Run run(String command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-o", "pipefail", "-c", command)
                .directory(Reference.root().toFile())
                .redirectErrorStream(true);
        // Never a real cluster: kubectl sees no kubeconfig at all.
        builder.environment().put("KUBECONFIG", scratch.resolve("no-kubeconfig").toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("still running after 2 minutes: " + command);
        }
        return new Run(process.exitValue(), output);
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    /** The README's text from {@code heading} to the next second-level heading. */
    private static String section(String heading) {
        String readme = Reference.read(Reference.root().resolve("README.md"));
        int start = readme.indexOf(heading);
        assertThat(start).as("README has " + heading).isNotNegative();
        int end = readme.indexOf("\n## ", start + heading.length());
        return end < 0 ? readme.substring(start) : readme.substring(start, end);
    }

    /** The commands of the section's bash blocks, comments dropped and continuation lines joined. */
    private static List<String> commands(String section) {
        List<String> commands = new ArrayList<>();
        Matcher block = BASH_BLOCK.matcher(section);
        while (block.find()) {
            String joined = block.group(1).replaceAll("\\\\\\n\\s*", " ");
            for (String line : joined.split("\\n")) {
                String command = line.replaceAll("\\s+#.*$", "").strip();
                if (!command.isEmpty() && !command.startsWith("#")) {
                    commands.add(command);
                }
            }
        }
        return commands;
    }
}
