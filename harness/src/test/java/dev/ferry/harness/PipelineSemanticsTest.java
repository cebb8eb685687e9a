package dev.ferry.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness's Tekton semantics on small pipelines whose steps are local tools (coreutils' true,
 * false, printenv, cp in a Ferry image): ordering, when, finally with $(tasks.status), results,
 * workspaces with subPath, env from ConfigMaps and Secrets, and what must fail.
 */
class PipelineSemanticsTest {

    private static final String IMAGE =
            "quay.io/ferry/ferry-restore@sha256:0000000000000000000000000000000000000000000000000000000000000000";

    @TempDir
    Path root;

    @Test
    void aStepPastItsTaskTimeoutIsStoppedAndTheTaskRunFailsWithTaskRunTimeout() throws Exception {
        PipelineRunOutcome run = run("""
                tasks:
                - name: slow
                  timeout: 1s
                  taskSpec:
                    steps:
                    - {name: s, image: %1$s, command: ["sleep"], args: ["30"]}
                """, Map.of());

        assertThat(run.firstFailure()).get().satisfies(task -> {
            assertThat(task.pipelineTask()).isEqualTo("slow");
            assertThat(task.reason()).isEqualTo("TaskRunTimeout: PT1S");
        });
    }

    @Test
    void aFailedTaskStopsTheDagAndFinallySeesFailed() throws Exception {
        PipelineRunOutcome run = run("""
                tasks:
                - name: second
                  runAfter: [first]
                  taskSpec:
                    steps:
                    - {name: s, image: %1$s, command: ["true"]}
                - name: first
                  taskSpec:
                    results: [{name: r}]
                    steps:
                    - {name: s, image: %1$s, command: ["false"]}
                finally:
                - name: needs-a-result-of-first
                  params:
                  - {name: r, value: $(tasks.first.results.r)}
                  taskSpec:
                    params: [{name: r}]
                    steps:
                    - {name: s, image: %1$s, command: ["true"]}
                - name: cleanup
                  when:
                  - {input: $(tasks.status), operator: notin, values: [Succeeded, Completed]}
                  params:
                  - {name: first, value: $(tasks.first.status)}
                  taskSpec:
                    params: [{name: first}]
                    steps:
                    - name: s
                      image: %1$s
                      command: ["test"]
                      args: ["$(params.first)", "=", "Failed"]
                """, Map.of());

        assertThat(run.status()).isEqualTo("Failed");
        assertThat(run.taskRuns())
                .extracting(TaskRunOutcome::pipelineTask)
                .containsExactly("first", "second", "needs-a-result-of-first", "cleanup");
        assertThat(run.taskRun("needs-a-result-of-first").orElseThrow().reason())
                .startsWith("MissingResultsSkip");
        assertThat(run.taskRun("first").orElseThrow().exitCode()).isEqualTo(1);
        assertThat(run.taskRun("second").orElseThrow().reason()).isEqualTo("PipelineRunStopping");
        assertThat(run.taskRun("cleanup").orElseThrow().status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void resultsOrderTasksAndFeedWhenAndPipelineResults() throws Exception {
        PipelineRunOutcome run = run("""
                params:
                - {name: word, default: passed}
                results:
                - {name: echoed, value: $(tasks.produce.results.word)}
                tasks:
                - name: guarded
                  when:
                  - {input: $(tasks.produce.results.word), operator: in, values: [failed]}
                  taskSpec:
                    steps:
                    - {name: s, image: %1$s, command: ["false"]}
                - name: produce
                  params:
                  - {name: word, value: $(params.word)}
                  taskSpec:
                    params: [{name: word}]
                    results: [{name: word}]
                    steps:
                    - name: s
                      image: %1$s
                      command: ["cp"]
                      args: ["$(WORD_FILE)", "$(results.word.path)"]
                      env:
                      - {name: WORD_FILE, value: "$(workspaces.data.path)/word"}
                    workspaces: [{name: data}]
                  workspaces:
                  - {name: data, workspace: shared, subPath: sub}
                finally:
                - name: report
                  when:
                  - {input: $(tasks.status), operator: in, values: [Completed]}
                  taskSpec:
                    steps:
                    - {name: s, image: %1$s, command: ["true"]}
                """, Map.of());

        assertThat(run.taskRuns())
                .extracting(TaskRunOutcome::pipelineTask)
                .containsExactly("produce", "guarded", "report");
        assertThat(run.taskRun("guarded").orElseThrow().reason()).startsWith("WhenExpressionsSkip");
        assertThat(run.taskRun("report").orElseThrow().status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(run.status()).isEqualTo("Completed");
        assertThat(run.results()).containsEntry("echoed", "passed");
    }

    @Test
    void envComesFromTheClustersConfigMapsAndSecretsAndAMissingOneFailsTheTask() throws Exception {
        String pipeline = """
                tasks:
                - name: check
                  taskSpec:
                    steps:
                    - name: s
                      image: %1$s
                      command: ["test"]
                      args: ["$(POSTGRES_HOST):$(PGPASSWORD)", "=", "db.local:s3cret"]
                      envFrom:
                      - configMapRef: {name: env-configmap}
                      env:
                      - name: PGPASSWORD
                        valueFrom:
                          secretKeyRef: {name: onyx-postgresql, key: password}
                """;
        LocalCluster cluster = new LocalCluster("onyx")
                .configMap("env-configmap", Map.of("POSTGRES_HOST", "db.local"))
                .secret("onyx-postgresql", Map.of("password", "s3cret"));
        assertThat(run(pipeline, Map.of(), cluster).status()).isEqualTo("Succeeded");

        PipelineRunOutcome missing =
                run(pipeline, Map.of(), new LocalCluster("onyx").configMap("env-configmap", Map.of()));
        assertThat(missing.status()).isEqualTo("Failed");
        assertThat(missing.taskRun("check").orElseThrow().reason()).isEqualTo("Secret onyx-postgresql not found");
    }

    @Test
    void aStepThatIsNotAFerryImageOrHasNoLocalToolIsRefusedNotFaked() throws Exception {
        PipelineRunOutcome run = run("""
                tasks:
                - name: foreign
                  taskSpec:
                    steps:
                    - {name: s, image: docker.io/library/alpine:3, command: ["true"]}
                """, Map.of());

        assertThat(run.status()).isEqualTo("Failed");
        assertThat(run.taskRun("foreign").orElseThrow().reason()).contains("is not a Ferry step image");
    }

    @Test
    void unknownParamsAndCyclesAreRejectedBeforeAnythingRuns() throws Exception {
        assertThatThrownBy(() -> run("""
                tasks:
                - {name: a, taskSpec: {steps: [{name: s, image: %1$s, command: ["true"]}]}}
                """, Map.of("nope", "1"))).hasMessageContaining("declares no params [nope]");
        assertThatThrownBy(() -> run("""
                tasks:
                - {name: a, runAfter: [b], taskSpec: {steps: [{name: s, image: %1$s, command: ["true"]}]}}
                - {name: b, runAfter: [a], taskSpec: {steps: [{name: s, image: %1$s, command: ["true"]}]}}
                """, Map.of())).hasMessageContaining("cycle");
    }

    @Test
    void goDurationsAndContainerEnvExpansionFollowTheirRules() {
        assertThat(GoDuration.parse("6h15m")).isEqualTo(Duration.ofMinutes(375));
        assertThat(GoDuration.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> GoDuration.parse("10 minutes")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ContainerEnvExpansion.expand("$(A)-$$(A)-$(B)", Map.of("A", "x")))
                .isEqualTo("x-$(A)-$(B)");
    }

    @Test
    void aGracefulStopSkipsWhatIsLeftWhichReadsNoneAndTasksStatusCompletedThenRunsFinally() throws Exception {
        String yaml = "apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: p}\nspec:\n"
                + """
                tasks:
                - name: first
                  taskSpec:
                    steps:
                    - {name: s, image: %1$s, command: ["true"]}
                - name: second
                  runAfter: [first]
                  taskSpec:
                    steps:
                    - {name: s, image: %1$s, command: ["true"]}
                finally:
                - name: on-tasks-status
                  when:
                  - {input: $(tasks.status), operator: notin, values: [Succeeded, Completed]}
                  taskSpec:
                    steps:
                    - {name: s, image: %1$s, command: ["true"]}
                - name: on-second
                  when:
                  - {input: $(tasks.second.status), operator: notin, values: [Succeeded]}
                  params:
                  - {name: second, value: $(tasks.second.status)}
                  taskSpec:
                    params: [{name: second}]
                    steps:
                    - {name: s, image: %1$s, command: ["test"], args: ["$(params.second)", "=", "None"]}
                """.formatted(IMAGE).indent(2);
        Files.writeString(root.resolve("p.yaml"), yaml);

        PipelineRunOutcome run = new PipelineRunner(new TektonFiles(root), new LocalCluster("onyx"), line -> {})
                .stopGracefullyAfter("first")
                .run("p.yaml", Map.of(), Map.of(), Files.createDirectories(root.resolve("runs")));

        assertThat(run.taskRun("second")).get().satisfies(task -> {
            assertThat(task.status()).isEqualTo(TaskStatus.SKIPPED);
            assertThat(task.reason()).startsWith("GracefullyStoppedSkip");
        });
        assertThat(run.taskRun("on-tasks-status")).get().satisfies(task -> {
            assertThat(task.status()).as("$(tasks.status) reads Completed").isEqualTo(TaskStatus.SKIPPED);
        });
        assertThat(run.taskRun("on-second"))
                .get()
                .satisfies(
                        task -> assertThat(task.succeeded()).as(task.output()).isTrue());
    }

    @Test
    void theTasksTimeoutRunningOutSkipsWhatIsLeftRunsFinallyAndFailsTheRunAsTimedOut() throws Exception {
        String yaml = "apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: p}\nspec:\n"
                + """
                tasks:
                - name: first
                  taskSpec:
                    steps:
                    - {name: s, image: %1$s, command: ["true"]}
                - name: second
                  runAfter: [first]
                  taskSpec:
                    steps:
                    - {name: s, image: %1$s, command: ["true"]}
                finally:
                - name: on-second
                  params:
                  - {name: second, value: $(tasks.second.status)}
                  - {name: all, value: $(tasks.status)}
                  taskSpec:
                    params: [{name: second}, {name: all}]
                    steps:
                    - name: s
                      image: %1$s
                      command: ["test"]
                      args: ["$(params.second)$(params.all)", "=", "NoneCompleted"]
                """.formatted(IMAGE).indent(2);
        Files.writeString(root.resolve("p.yaml"), yaml);

        PipelineRunOutcome run = new PipelineRunner(new TektonFiles(root), new LocalCluster("onyx"), line -> {})
                .tasksTimeOutAfter("first")
                .run("p.yaml", Map.of(), Map.of(), Files.createDirectories(root.resolve("runs")));

        assertThat(run.status()).isEqualTo("PipelineRunTimeout");
        assertThat(run.taskRun("second")).get().satisfies(task -> {
            assertThat(task.status()).isEqualTo(TaskStatus.SKIPPED);
            assertThat(task.reason()).startsWith("TasksTimedOutSkip");
        });
        assertThat(run.taskRun("on-second"))
                .get()
                .satisfies(task -> assertThat(task.succeeded())
                        .as("finally runs and reads None and Completed: " + task.output())
                        .isTrue());
    }

    @Test
    void aTaskSkippedForAnyReasonButItsOwnWhenSkipsItsChildrenToo() throws Exception {
        PipelineRunOutcome run = run("""
                tasks:
                - name: guarded
                  when:
                  - {input: "a", operator: in, values: ["b"]}
                  taskSpec:
                    results: [{name: r}]
                    steps:
                    - {name: s, image: %1$s, command: ["true"]}
                - name: after-guarded
                  runAfter: [guarded]
                  taskSpec:
                    steps:
                    - {name: s, image: %1$s, command: ["true"]}
                - name: uses-its-result
                  params:
                  - {name: r, value: $(tasks.guarded.results.r)}
                  taskSpec:
                    params: [{name: r}]
                    steps:
                    - {name: s, image: %1$s, command: ["true"]}
                - name: after-that
                  runAfter: [uses-its-result]
                  taskSpec:
                    steps:
                    - {name: s, image: %1$s, command: ["true"]}
                """, Map.of());

        assertThat(run.taskRun("after-guarded"))
                .get()
                .satisfies(t -> assertThat(t.succeeded()).isTrue());
        assertThat(run.taskRun("uses-its-result"))
                .get()
                .satisfies(t -> assertThat(t.reason()).startsWith("MissingResultsSkip"));
        assertThat(run.taskRun("after-that")).get().satisfies(t -> {
            assertThat(t.status()).isEqualTo(TaskStatus.SKIPPED);
            assertThat(t.reason()).startsWith("ParentTasksSkip");
        });
    }

    @Test
    void finallyUsesWhatAFailedTaskWroteButPipelineResultsTakeOnlySucceededTasks() throws Exception {
        PipelineRunOutcome run = run("""
                results:
                - {name: out, value: $(tasks.writes-then-fails.results.r)}
                tasks:
                - name: writes-then-fails
                  taskSpec:
                    results: [{name: r}]
                    workspaces: [{name: data}]
                    steps:
                    - {name: w, image: %1$s, command: ["cp"], args: ["$(workspaces.data.path)/word", "$(results.r.path)"]}
                    - {name: f, image: %1$s, command: ["false"]}
                  workspaces:
                  - {name: data, workspace: shared, subPath: sub}
                finally:
                - name: reads-it
                  params:
                  - {name: r, value: $(tasks.writes-then-fails.results.r)}
                  taskSpec:
                    params: [{name: r}]
                    steps:
                    - {name: s, image: %1$s, command: ["test"], args: ["$(params.r)", "=", "passed"]}
                """, Map.of());

        assertThat(run.taskRun("reads-it"))
                .get()
                .satisfies(t -> assertThat(t.succeeded()).as(t.output()).isTrue());
        assertThat(run.results()).doesNotContainKey("out");
    }

    @Test
    void aCancelledRunSchedulesNothingMoreNotEvenFinally() throws Exception {
        String yaml = "apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: p}\nspec:\n"
                + """
                tasks:
                - name: first
                  taskSpec:
                    steps:
                    - {name: s, image: %1$s, command: ["true"]}
                - name: second
                  runAfter: [first]
                  taskSpec:
                    steps:
                    - {name: s, image: %1$s, command: ["true"]}
                finally:
                - name: cleanup
                  taskSpec:
                    steps:
                    - {name: s, image: %1$s, command: ["true"]}
                """.formatted(IMAGE).indent(2);
        Files.writeString(root.resolve("p.yaml"), yaml);

        PipelineRunOutcome run = new PipelineRunner(new TektonFiles(root), new LocalCluster("onyx"), line -> {})
                .cancelAfter("first")
                .run("p.yaml", Map.of(), Map.of(), Files.createDirectories(root.resolve("runs")));

        assertThat(run.status()).isEqualTo("Cancelled");
        assertThat(run.taskRun("first"))
                .get()
                .satisfies(t -> assertThat(t.succeeded()).isTrue());
        assertThat(run.taskRun("second"))
                .get()
                .satisfies(t -> assertThat(t.status()).isEqualTo(TaskStatus.SKIPPED));
        assertThat(run.taskRun("cleanup")).get().satisfies(t -> {
            assertThat(t.status()).isEqualTo(TaskStatus.SKIPPED);
            assertThat(t.reason()).contains("finally is not scheduled");
        });
    }

    @Test
    void anArrayDefaultIsRefusedRatherThanReadAsEmpty() {
        assertThatThrownBy(() -> run("""
                        params:
                        - {name: list, type: array, default: ["a", "b"]}
                        tasks:
                        - name: t
                          taskSpec:
                            steps:
                            - {name: s, image: %1$s, command: ["true"]}
                        """, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("param list has an array or object default");
    }

    /** The Tasks mount an emptyDir on /tmp; the workspace's own folder (this test's, under /tmp too) stays itself. */
    @Test
    void anEmptyDirOnTmpTakesTheYamlsTmpPathsButNotAWorkspaceFolderUnderTmp() throws Exception {
        assertThat(root.toString()).startsWith(System.getProperty("java.io.tmpdir"));
        PipelineRunOutcome run = run("""
                tasks:
                - name: t
                  taskSpec:
                    results: [{name: word}]
                    workspaces: [{name: data}]
                    volumes: [{name: tmp, emptyDir: {}}]
                    steps:
                    - name: keep
                      image: %1$s
                      command: ["cp"]
                      args: ["$(workspaces.data.path)/word", "/tmp/copy"]
                      volumeMounts: [{name: tmp, mountPath: /tmp}]
                    - name: give
                      image: %1$s
                      command: ["cp"]
                      args: ["/tmp/copy", "$(results.word.path)"]
                      volumeMounts: [{name: tmp, mountPath: /tmp}]
                  workspaces:
                  - {name: data, workspace: shared, subPath: sub}
                """, Map.of());

        assertThat(run.status()).as(() -> run.taskRuns().toString()).isEqualTo("Succeeded");
        assertThat(run.taskRun("t").orElseThrow().results()).containsEntry("word", "passed");
    }

    /**
     * The reader blocks on a FIFO until the writer, a task independent of it, opens the FIFO: run one after the other
     * the reader would wait out its timeout and fail.
     */
    @Test
    void independentTasksRunAtTheSameTime() throws Exception {
        PipelineRunOutcome run = run("""
                tasks:
                - name: make-pipe
                  taskSpec:
                    workspaces: [{name: data}]
                    steps:
                    - {name: s, image: %1$s, command: ["mkfifo"], args: ["$(workspaces.data.path)/pipe"]}
                  workspaces: [{name: data, workspace: shared, subPath: sub}]
                - name: reader
                  runAfter: [make-pipe]
                  timeout: 30s
                  taskSpec:
                    workspaces: [{name: data}]
                    steps:
                    - {name: s, image: %1$s, command: ["cat"], args: ["$(workspaces.data.path)/pipe"]}
                  workspaces: [{name: data, workspace: shared, subPath: sub}]
                - name: writer
                  runAfter: [make-pipe]
                  timeout: 30s
                  taskSpec:
                    workspaces: [{name: data}]
                    steps:
                    - name: s
                      image: %1$s
                      command: ["cp"]
                      args: ["$(workspaces.data.path)/word", "$(workspaces.data.path)/pipe"]
                  workspaces: [{name: data, workspace: shared, subPath: sub}]
                """, Map.of());

        assertThat(run.status()).as(() -> run.taskRuns().toString()).isEqualTo("Succeeded");
        assertThat(run.taskRun("reader").orElseThrow().output()).isEqualTo("passed");
    }

    @Test
    void aFailedTaskRunsAgainWhileItHasRetriesLeftEachTimeWithItsRetryCount() throws Exception {
        PipelineRunOutcome run = run("""
                tasks:
                - name: third-time-lucky
                  retries: 2
                  taskSpec:
                    steps:
                    - name: s
                      image: %1$s
                      command: ["test"]
                      args: ["$(context.task.retry-count)/$(context.pipelineTask.retries)", "=", "2/2"]
                - name: out-of-retries
                  retries: 1
                  taskSpec:
                    steps:
                    - name: s
                      image: %1$s
                      command: ["test"]
                      args: ["$(context.task.retry-count)", "=", "2"]
                """, Map.of());

        assertThat(run.taskRun("third-time-lucky").orElseThrow().status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(run.taskRun("out-of-retries").orElseThrow().status()).isEqualTo(TaskStatus.FAILED);
        assertThat(run.status()).isEqualTo("Failed");
    }

    @Test
    void aTimeoutOfZeroIsNoTimeoutAndEveryWhenExpressionMustHold() throws Exception {
        PipelineRunOutcome run = run("""
                params:
                - {name: verdict, default: passed}
                - {name: proof, default: failed}
                tasks:
                - name: unbounded
                  timeout: "0"
                  taskSpec:
                    steps:
                    - {name: s, image: %1$s, command: ["sleep"], args: ["1"]}
                - name: both-hold
                  when:
                  - {input: $(params.verdict), operator: in, values: [passed]}
                  - {input: $(params.proof), operator: notin, values: [passed]}
                  taskSpec:
                    steps:
                    - {name: s, image: %1$s, command: ["true"]}
                - name: one-fails
                  when:
                  - {input: $(params.verdict), operator: in, values: [passed]}
                  - {input: $(params.proof), operator: in, values: [passed]}
                  taskSpec:
                    steps:
                    - {name: s, image: %1$s, command: ["true"]}
                """, Map.of());

        assertThat(run.taskRun("unbounded").orElseThrow().status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(run.taskRun("both-hold").orElseThrow().status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(run.taskRun("one-fails").orElseThrow().reason())
                .startsWith("WhenExpressionsSkip")
                .contains("proof");
    }

    private PipelineRunOutcome run(String tasks, Map<String, String> params) throws Exception {
        return run(tasks, params, new LocalCluster("onyx"));
    }

    private PipelineRunOutcome run(String tasks, Map<String, String> params, LocalCluster cluster) throws Exception {
        String yaml =
                "apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: p}\nspec:\n  workspaces: [{name: shared}]\n"
                        + tasks.formatted(IMAGE).indent(2);
        Files.writeString(root.resolve("p.yaml"), yaml);
        Path shared = Files.createDirectories(root.resolve("shared"));
        Files.createDirectories(shared.resolve("sub"));
        Files.writeString(shared.resolve("sub/word"), "passed");
        return new PipelineRunner(new TektonFiles(root), cluster, line -> {})
                .run(
                        "p.yaml",
                        new LinkedHashMap<>(params),
                        Map.of("shared", shared),
                        Files.createDirectories(root.resolve("runs")));
    }
}
