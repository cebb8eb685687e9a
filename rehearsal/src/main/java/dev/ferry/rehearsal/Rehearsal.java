package dev.ferry.rehearsal;

import dev.ferry.testing.StepProgram;
import dev.ferry.testing.StepRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The data path of a migration, run the way a pipeline runs it: dump → upload → download → restore →
 * validate, each as its own step program with settings only in its environment. The export side and
 * the import side get separate workspaces, as two clusters would, so nothing reaches the target
 * except through object storage.
 */
public final class Rehearsal {

    /** The steps in the order the export and import pipelines run them. */
    public static final List<String> STEPS = List.of("dump", "upload", "download", "restore", "validate");

    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(30);

    private final Path projectRoot;
    private final Path workdir;
    private final DatabaseAccess source;
    private final DatabaseAccess target;
    private final Map<String, String> objectStorage;
    private final Consumer<String> log;

    /**
     * @param objectStorage the AWS_* and FERRY_S3_* settings of the bucket both sides share
     * @param log where each step's output lines go as they are printed
     */
    public Rehearsal(Path projectRoot, Path workdir, DatabaseAccess source, DatabaseAccess target,
            Map<String, String> objectStorage, Consumer<String> log) {
        this.projectRoot = projectRoot;
        this.workdir = workdir;
        this.source = source;
        this.target = target;
        this.objectStorage = Map.copyOf(objectStorage);
        this.log = log;
    }

    public RehearsalReport run() {
        Path exportSide = folder("export");
        Path importSide = folder("import");
        List<PhaseResult> phases = new ArrayList<>();
        for (String step : STEPS) {
            boolean exportStep = step.equals("dump") || step.equals("upload");
            Map<String, String> env = new HashMap<>();
            Path side = exportStep ? exportSide : importSide;
            env.put("FERRY_WORKDIR", side.toString());
            env.put("FERRY_RESULTS_DIR", side.resolve("results").resolve(step).toString());
            switch (step) {
                case "dump" -> env.putAll(source.stepEnvironment());
                case "upload" -> env.putAll(objectStorage);
                case "download" -> {
                    env.putAll(objectStorage);
                    // The id dump chose: the import side asks for exactly that migration, not "the newest".
                    env.put("FERRY_MIGRATION_ID", migrationIdFrom(exportSide));
                }
                default -> env.putAll(target.stepEnvironment());
            }
            log.accept("== " + step);
            PhaseResult phase = runStep(step, env);
            phases.add(phase);
            log.accept(String.format(java.util.Locale.ROOT, "== %s exit=%d seconds=%.1f", step, phase.exitCode(),
                    phase.duration().toMillis() / 1000.0));
            if (!phase.succeeded()) {
                break;
            }
        }
        return new RehearsalReport(List.copyOf(phases), exportSide, importSide);
    }

    private PhaseResult runStep(String step, Map<String, String> env) {
        Path jar = projectRoot.resolve("steps").resolve(step).resolve("target/quarkus-app/quarkus-run.jar");
        long started = System.nanoTime();
        StepRun run = StepProgram.at(jar).run(env, STEP_TIMEOUT, line -> log.accept("  [" + step + "] " + line));
        return new PhaseResult(step, run.exitCode(), Duration.ofNanos(System.nanoTime() - started), run.output());
    }

    private static String migrationIdFrom(Path exportSide) {
        Path result = exportSide.resolve("results").resolve("dump").resolve("migration-id");
        try {
            return Files.readString(result).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("dump wrote no migration-id result at " + result, e);
        }
    }

    private Path folder(String name) {
        try {
            return Files.createDirectories(workdir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + workdir.resolve(name), e);
        }
    }
}
