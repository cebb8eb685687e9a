package dev.ferry.validate;

import dev.ferry.testing.StepProgram;
import dev.ferry.testing.StepRun;
import dev.ferry.testing.pg.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The dump, restore and validate programs as the import half of a pipeline chains them: each in its own process,
 * on one workspace, configured by environment variables only. The reactor packages dump and restore before this
 * module's integration tests (see the POM).
 */
record StepChain(Path workdir) {

    static final Path DUMP = Path.of("../dump/target/quarkus-app/quarkus-run.jar");
    static final Path RESTORE = Path.of("../restore/target/quarkus-app/quarkus-run.jar");
    static final Path VALIDATE = Path.of("target/quarkus-app/quarkus-run.jar");
    static final Duration STEP_TIMEOUT = Duration.ofMinutes(3);

    /** The workspace and {@code database} on {@code server} as the superuser: what every step reads. */
    Map<String, String> on(PostgresServer server, String database) {
        Map<String, String> settings = new HashMap<>();
        settings.put("FERRY_WORKDIR", workdir.toString());
        settings.put("POSTGRES_HOST", server.host());
        settings.put("POSTGRES_PORT", Integer.toString(server.port()));
        settings.put("POSTGRES_DB", database);
        settings.put("POSTGRES_USER", server.superuser());
        settings.put("POSTGRES_PASSWORD", server.superuserPassword());
        return settings;
    }

    StepRun dump(Map<String, String> settings) {
        return StepProgram.at(DUMP).run(settings, STEP_TIMEOUT);
    }

    StepRun restore(Map<String, String> settings) {
        return StepProgram.at(RESTORE).run(settings, STEP_TIMEOUT);
    }

    StepRun validate(Map<String, String> settings) {
        return StepProgram.at(VALIDATE).run(settings, STEP_TIMEOUT);
    }
}
