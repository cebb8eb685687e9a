package dev.ferry.rehearsal;

import dev.ferry.crypto.Keyset;
import dev.ferry.harness.LocalCluster;
import dev.ferry.harness.PipelineRunOutcome;
import dev.ferry.harness.PipelineRunner;
import dev.ferry.harness.StepContainers;
import dev.ferry.harness.TaskRunOutcome;
import dev.ferry.harness.TektonFiles;
import dev.ferry.testing.pg.DatabaseAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A rehearsal is {@code pipelines/tekton/rehearsal.yaml} run through the local pipeline harness:
 * dump → upload → download → restore into a scratch database → validate → drop it, each step the
 * locally built program with the env its Task declares. This class only plays the cluster: the
 * ConfigMaps and Secrets the Pipeline's params name, filled from the databases and bucket given, and the key
 * Secret with a keyset generated for the run, so objects in the bucket are encrypted as on a cluster with one.
 */
public final class Rehearsal {

    public static final String PIPELINE = "pipelines/tekton/rehearsal.yaml";
    /** The data workspace's subPath that rehearsal.yaml gives the import side (download, restore, validate). */
    static final String IMPORT_SUB_PATH = "rehearsal-download";

    private static final String SOURCE_CONFIG_MAP = "env-configmap";
    private static final String SOURCE_SECRET = "onyx-postgresql";
    private static final String SCRATCH_CONFIG_MAP = "ferry-rehearsal-postgres";
    private static final String SCRATCH_SECRET = "ferry-rehearsal-postgresql";
    private static final String S3_SECRET = "ferry-s3";
    private static final String ENCRYPTION_SECRET = "ferry-encryption";
    /** Pipeline params taken from the object-storage settings of the same meaning. */
    private static final Map<String, String> S3_PARAMS = Map.of(
            "FERRY_S3_BUCKET",
            "s3-bucket",
            "FERRY_S3_PREFIX",
            "s3-prefix",
            "FERRY_S3_PATH_STYLE",
            "s3-path-style",
            "FERRY_S3_CHECKSUM_MODE",
            "s3-checksum-mode",
            "AWS_REGION",
            "s3-region");

    private static final List<String> S3_SECRET_KEYS =
            List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL_S3");

    private final Path projectRoot;
    private final Path workdir;
    private final DatabaseAccess source;
    private final DatabaseAccess scratch;
    private final Map<String, String> objectStorage;
    private final Keyset keyset = Keyset.generate();
    private final Consumer<String> log;
    private final List<Consumer<TaskRunOutcome>> listeners = new ArrayList<>();
    private String pipelineRunFile;
    private StepContainers containers;

    /**
     * @param scratch the database restore creates, validate checks and the last task drops
     * @param objectStorage the AWS_* and FERRY_S3_* settings of the bucket both sides share
     * @param log where the harness's and each step's output lines go as they are printed
     */
    public Rehearsal(
            Path projectRoot,
            Path workdir,
            DatabaseAccess source,
            DatabaseAccess scratch,
            Map<String, String> objectStorage,
            Consumer<String> log) {
        this.projectRoot = projectRoot;
        this.workdir = workdir;
        this.source = source;
        this.scratch = scratch;
        this.objectStorage = Map.copyOf(objectStorage);
        this.log = log;
    }

    /** The keyset made for this rehearsal: what the played key Secret holds, so a caller can read the bucket too. */
    public Keyset keyset() {
        return keyset;
    }

    /** Called after each TaskRun, before the next starts (e.g. to look at the scratch database before it is dropped). */
    public Rehearsal onTaskRun(Consumer<TaskRunOutcome> listener) {
        listeners.add(listener);
        return this;
    }

    /**
     * Runs the rehearsal from a PipelineRun file instead of {@link #PIPELINE} alone (e.g. the Pipelines-as-Code one a
     * user copies from examples/ci): its params, with the played cluster's names and the bucket on top.
     */
    public Rehearsal fromPipelineRun(String file) {
        this.pipelineRunFile = file;
        return this;
    }

    /** Runs each step in its image, as its Task's YAML runs it, instead of the locally built program. */
    public Rehearsal inImages(StepContainers stepContainers) {
        this.containers = stepContainers;
        return this;
    }

    public RehearsalReport run() {
        LocalCluster cluster = new LocalCluster("ferry")
                .configMap(SOURCE_CONFIG_MAP, source.configMapData())
                .secret(SOURCE_SECRET, source.secretData())
                .configMap(SCRATCH_CONFIG_MAP, scratch.configMapData())
                .secret(SCRATCH_SECRET, scratch.secretData());
        Map<String, String> s3Secret = new LinkedHashMap<>();
        S3_SECRET_KEYS.stream()
                .filter(objectStorage::containsKey)
                .forEach(key -> s3Secret.put(key, objectStorage.get(key)));
        cluster.secret(S3_SECRET, s3Secret);
        // A keyset made for this rehearsal only, held in the played Secret: the default path is the encrypted one.
        cluster.secret(ENCRYPTION_SECRET, Map.of("keyset", keyset.secretJson()));

        Map<String, String> params = new LinkedHashMap<>();
        params.put("postgres-configmap", SOURCE_CONFIG_MAP);
        params.put("postgres-secret", SOURCE_SECRET);
        params.put("scratch-postgres-configmap", SCRATCH_CONFIG_MAP);
        params.put("scratch-postgres-secret", SCRATCH_SECRET);
        params.put("s3-secret", S3_SECRET);
        params.put("encryption-secret", ENCRYPTION_SECRET);
        S3_PARAMS.forEach((setting, param) -> {
            if (objectStorage.containsKey(setting)) {
                params.put(param, objectStorage.get(setting));
            }
        });

        Path data = folder("data");
        PipelineRunner runner = new PipelineRunner(new TektonFiles(projectRoot), cluster, log);
        listeners.forEach(runner::onTaskRun);
        if (containers != null) {
            runner.inImages(containers);
        }
        PipelineRunOutcome outcome = pipelineRunFile == null
                ? runner.run(PIPELINE, params, Map.of("data", data), folder("taskruns"))
                : runner.runPipelineRun(pipelineRunFile, params, Map.of("data", data), folder("taskruns"));
        return new RehearsalReport(outcome, data.resolve(IMPORT_SUB_PATH));
    }

    private Path folder(String name) {
        try {
            return Files.createDirectories(workdir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + workdir.resolve(name), e);
        }
    }
}
