package dev.ferry.alembicrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.kube.Polling;
import dev.ferry.pg.PgConnector;
import dev.ferry.pg.PgEndpoint;
import dev.ferry.testing.kube.OnyxCluster;
import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job mode against the fabric8 CRUD API server and a real PostgreSQL. Nothing runs Jobs on the mock,
 * so the test plays the Job controller and the pod: it migrates the database as the image would,
 * serves the pod's log and writes the Job's final status.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class AlembicJobIT {

    private static final String IMAGE = "onyxdotapp/onyx-backend:v2.1.0";
    private static PostgresServer postgres;
    private static int databases;

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    KubernetesClient client;

    @TempDir
    Path workdir;

    private String database;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start(PgMajor.TARGET);
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @BeforeEach
    void freshDatabaseAndNamespace() throws Exception {
        new OnyxCluster(client, client.getNamespace()).clear();
        database = "onyx" + (++databases);
        postgres.createDatabase(database);
        sql(
                "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY); INSERT INTO alembic_version VALUES ('27c6ecc08586')");
    }

    @Test
    void runsOneJobWithTheOnyxEnvironmentStreamsItsLogAndRecordsTheRevisions() throws Exception {
        String job = "ferry-alembic-ok";
        CompletableFuture<AlembicRun.Outcome> run = async(job, Duration.ofSeconds(30));

        Job created = awaitJob(job);
        actAsPod(job, "Succeeded", """
                INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.
                INFO  [alembic.runtime.migration] Running upgrade 27c6ecc08586 -> 5d12a446f5c0, shared chat sessions
                """);
        sql("UPDATE alembic_version SET version_num = '5d12a446f5c0'");
        finish(created, "Complete");

        AlembicRun.Outcome outcome = run.get(30, TimeUnit.SECONDS);
        assertThat(outcome.before()).isEqualTo(Map.of("public", "27c6ecc08586"));
        assertThat(outcome.after()).isEqualTo(Map.of("public", "5d12a446f5c0"));
        assertThat(workdir.resolve(Workspace.ALEMBIC_RECORD)).exists();

        var pod = created.getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0);
        assertThat(container.getImage()).isEqualTo(IMAGE);
        assertThat(container.getWorkingDir()).isEqualTo("/app");
        assertThat(container.getCommand()).containsExactly("alembic", "upgrade", "head");
        assertThat(container.getEnvFrom())
                .singleElement()
                .satisfies(e -> assertThat(e.getConfigMapRef().getName()).isEqualTo("env-configmap"));
        assertThat(container.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("POSTGRES_PASSWORD");
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("onyx-postgresql");
            assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
        });
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(created.getSpec().getBackoffLimit()).isZero();
    }

    @Test
    void anImageOlderThanTheDataFailsWithAlembicsReason() throws Exception {
        String job = "ferry-alembic-old-image";
        CompletableFuture<AlembicRun.Outcome> run = async(job, Duration.ofSeconds(30));

        Job created = awaitJob(job);
        actAsPod(job, "Failed", """
                INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.
                ERROR [alembic.util.messaging] Can't locate revision identified by '27c6ecc08586'
                  FAILED: Can't locate revision identified by '27c6ecc08586'
                """);
        finish(created, "Failed");

        assertThatThrownBy(() -> run.get(30, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(StepFailure.class, failure -> {
                    assertThat(failure.exitCode()).isEqualTo(ExitCode.REFUSED);
                    assertThat(failure.getMessage())
                            .startsWith("Job ferry-alembic-old-image (Failed")
                            .contains("Can't locate revision identified by '27c6ecc08586'")
                            .contains("image " + IMAGE + " does not know, so the image is older than the data");
                });
    }

    @Test
    void aJobWhosePodCannotStartTimesOutWithThePodsReason() throws Exception {
        String job = "ferry-alembic-stuck";
        CompletableFuture<AlembicRun.Outcome> run = async(job, Duration.ofMillis(1500));

        awaitJob(job);
        waitingPod(job + "-x7k2p", job, "ErrImagePull", "manifest unknown");

        assertThatThrownBy(() -> run.get(30, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(StepFailure.class, failure -> {
                    assertThat(failure.exitCode()).isEqualTo(ExitCode.TIMED_OUT);
                    assertThat(failure.getMessage())
                            .startsWith("Job ferry-alembic-stuck did not finish within 1s")
                            .contains(
                                    "pod ferry-alembic-stuck-x7k2p Pending (container alembic waiting: ErrImagePull \"manifest unknown\")");
                });
    }

    /** Onyx's files the pre-June-2025 way: file_store rows pointing at large objects (before c9e2cd766c29). */
    private void fileStoreBeforeExternalStorage() throws Exception {
        sql("""
                CREATE TABLE file_store (file_name varchar PRIMARY KEY, lobj_oid integer NOT NULL, file_origin varchar);
                INSERT INTO file_store VALUES ('doc.pdf', lo_from_bytea(0, 'pdf bytes'), 'CONNECTOR');
                """);
    }

    @Test
    void aDatabaseWhoseFilesStillMoveWithoutObjectStorageSettingsIsRefusedInOneLineBeforeAnyJob() throws Exception {
        fileStoreBeforeExternalStorage();

        assertThatThrownBy(() ->
                        async("ferry-alembic-no-store", Duration.ofSeconds(30)).get(30, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(StepFailure.class, failure -> {
                    assertThat(failure.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION);
                    assertThat(failure.getMessage())
                            .doesNotContain("\n")
                            .startsWith("schema(s) public still keep Onyx's files in file_store large objects, which"
                                    + " Onyx migration c9e2cd766c29 moves into Onyx's object storage")
                            .contains("FERRY_ALEMBIC_OBJECT_STORAGE_SECRET", "onyx-objectstorage");
                });
        assertThat(client.batch()
                        .v1()
                        .jobs()
                        .inNamespace(client.getNamespace())
                        .list()
                        .getItems())
                .as("nothing ran")
                .isEmpty();
    }

    @Test
    void withItsSecretNamedTheJobMustHaveItAndAMissingSecretStopsTheRunAtOnce() throws Exception {
        fileStoreBeforeExternalStorage();
        String job = "ferry-alembic-store";
        CompletableFuture<AlembicRun.Outcome> run =
                async(job, Duration.ofSeconds(60), Optional.of("onyx-objectstorage"));

        Job created = awaitJob(job);
        var envFrom =
                created.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom();
        assertThat(envFrom)
                .filteredOn(e -> e.getSecretRef() != null)
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getSecretRef().getName()).isEqualTo("onyx-objectstorage");
                    assertThat(e.getSecretRef().getOptional()).isFalse();
                });
        // The kubelet cannot build the container's environment: the Secret is not in the namespace.
        waitingPod(job + "-q2w8r", job, "CreateContainerConfigError", "secret \"onyx-objectstorage\" not found");

        assertThatThrownBy(() -> run.get(30, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(StepFailure.class, failure -> {
                    assertThat(failure.exitCode()).isEqualTo(ExitCode.BAD_CONFIGURATION);
                    assertThat(failure.getMessage())
                            .startsWith("Job ferry-alembic-store cannot start its container, nothing ran")
                            .contains("secret \"onyx-objectstorage\" not found")
                            .contains("FERRY_ALEMBIC_OBJECT_STORAGE_SECRET (onyx-objectstorage)");
                });
        assertThat(client.batch()
                        .v1()
                        .jobs()
                        .inNamespace(client.getNamespace())
                        .withName(job)
                        .get())
                .as("the stuck Job is removed")
                .isNull();
    }

    @Test
    void aDatabaseWhoseFilesAlreadyMovedGetsTheObjectStorageSecretOnlyIfItExists() throws Exception {
        String job = "ferry-alembic-moved";
        CompletableFuture<AlembicRun.Outcome> run =
                async(job, Duration.ofSeconds(30), Optional.of("onyx-objectstorage"));

        Job created = awaitJob(job);
        actAsPod(job, "Succeeded", "INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.\n");
        finish(created, "Complete");

        assertThat(run.get(30, TimeUnit.SECONDS).after()).containsEntry("public", "27c6ecc08586");
        assertThat(created.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnvFrom())
                .filteredOn(e -> e.getSecretRef() != null)
                .singleElement()
                .satisfies(e -> assertThat(e.getSecretRef().getOptional()).isTrue());
    }

    @Test
    void theMultiTenantCommandsRunInOneShellSoTheSecondOnlyFollowsASuccess() {
        assertThat(JobRunner.command(AlembicCommands.forLayout("alembic", true, java.util.OptionalInt.of(8))))
                .containsExactly(
                        "/bin/sh",
                        "-c",
                        "alembic -n schema_private upgrade head && /bin/sh -c 'if [ -f alembic/run_multitenant_migrations.py ];"
                                + " then exec \"$(command -v python3 || command -v python)\" alembic/run_multitenant_migrations.py"
                                + " -j 8; else exec alembic -x upgrade_all_tenants=true upgrade head; fi'");
    }

    @Test
    void aSecretAlreadyInPostgresFormIsGivenWholeWithEnvFrom() {
        JobRunner runner = new JobRunner(
                client,
                client.getNamespace(),
                new JobRunner.Spec(
                        "ferry-alembic-envfrom",
                        IMAGE,
                        "env-configmap",
                        "postgresql-secret",
                        "username",
                        "password",
                        true,
                        Optional.of("onyx"),
                        Map.of(),
                        Optional.empty()),
                new Polling(Duration.ofMillis(20)));

        Job job = runner.build(AlembicCommands.forLayout("alembic", false), Duration.ofMinutes(30));

        var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getEnvFrom())
                .extracting(e -> e.getConfigMapRef() == null
                        ? "secret " + e.getSecretRef().getName()
                        : "configmap " + e.getConfigMapRef().getName())
                .containsExactly("configmap env-configmap", "secret postgresql-secret");
        assertThat(container.getEnv()).isEmpty();
        assertThat(job.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo("onyx");
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(1800L);
    }

    private CompletableFuture<AlembicRun.Outcome> async(String job, Duration timeout) {
        return async(job, timeout, Optional.empty());
    }

    private CompletableFuture<AlembicRun.Outcome> async(String job, Duration timeout, Optional<String> objectStorage) {
        JobRunner runner = new JobRunner(
                client,
                client.getNamespace(),
                new JobRunner.Spec(
                        job,
                        IMAGE,
                        "env-configmap",
                        "onyx-postgresql",
                        "username",
                        "password",
                        false,
                        Optional.empty(),
                        Map.of(
                                "POSTGRES_HOST",
                                postgres.host(),
                                "POSTGRES_PORT",
                                Integer.toString(postgres.port()),
                                "POSTGRES_DB",
                                database),
                        objectStorage),
                new Polling(Duration.ofMillis(20)));
        AlembicRun alembic = new AlembicRun(new PgConnector(
                new PgEndpoint(
                        postgres.host(),
                        postgres.port(),
                        database,
                        postgres.superuser(),
                        Optional.of(postgres.superuserPassword()),
                        Optional.empty(),
                        Optional.empty()),
                "ferry-alembic-run"));
        return CompletableFuture.supplyAsync(() -> {
            try {
                return alembic.run(
                        new AlembicRun.Request(Optional.empty(), "alembic", false, timeout, workdir), runner);
            } catch (Exception e) {
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
        });
    }

    private Job awaitJob(String name) throws InterruptedException {
        assertThat(new Polling(Duration.ofMillis(20))
                        .until(
                                Duration.ofSeconds(20),
                                () -> client.batch()
                                                .v1()
                                                .jobs()
                                                .inNamespace(client.getNamespace())
                                                .withName(name)
                                                .get()
                                        != null))
                .isTrue();
        return client.batch()
                .v1()
                .jobs()
                .inNamespace(client.getNamespace())
                .withName(name)
                .get();
    }

    /** A pod of {@code job} whose container the kubelet cannot start, for the reason it reports. */
    private void waitingPod(String pod, String job, String reason, String message) {
        client.pods()
                .inNamespace(client.getNamespace())
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(pod)
                        .addToLabels("job-name", job)
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName(JobRunner.CONTAINER)
                        .withImage(IMAGE)
                        .endContainer()
                        .endSpec()
                        .withNewStatus()
                        .withPhase("Pending")
                        .addNewContainerStatus()
                        .withName(JobRunner.CONTAINER)
                        .withNewState()
                        .withNewWaiting()
                        .withReason(reason)
                        .withMessage(message)
                        .endWaiting()
                        .endState()
                        .endContainerStatus()
                        .endStatus()
                        .build())
                .create();
    }

    /** The Job controller's pod, finished, and the log the kubelet would serve for it. */
    private void actAsPod(String job, String phase, String log) {
        String pod = job + "-b5m9q";
        client.pods()
                .inNamespace(client.getNamespace())
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(pod)
                        .addToLabels("job-name", job)
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName(JobRunner.CONTAINER)
                        .withImage(IMAGE)
                        .endContainer()
                        .endSpec()
                        .withNewStatus()
                        .withPhase(phase)
                        .endStatus()
                        .build())
                .create();
        for (String query : List.of(
                "?pretty=false&container=alembic",
                "?pretty=false&container=alembic&follow=true",
                "?container=alembic&follow=true",
                "?container=alembic")) {
            server.expect()
                    .get()
                    .withPath("/api/v1/namespaces/" + client.getNamespace() + "/pods/" + pod + "/log" + query)
                    .andReturn(200, log)
                    .always();
        }
    }

    private void finish(Job job, String condition) {
        Job current = client.batch()
                .v1()
                .jobs()
                .inNamespace(client.getNamespace())
                .withName(job.getMetadata().getName())
                .get();
        current.setStatus(new JobStatusBuilder()
                .addNewCondition()
                .withType(condition)
                .withStatus("True")
                .endCondition()
                .withSucceeded(condition.equals("Complete") ? 1 : 0)
                .withFailed(condition.equals("Failed") ? 1 : 0)
                .build());
        client.batch()
                .v1()
                .jobs()
                .inNamespace(client.getNamespace())
                .resource(current)
                .updateStatus();
    }

    private void sql(String statements) throws Exception {
        try (Connection connection = postgres.connect(database);
                Statement statement = connection.createStatement()) {
            statement.execute(statements);
        }
    }
}
