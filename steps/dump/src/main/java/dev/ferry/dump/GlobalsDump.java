package dev.ferry.dump;

import dev.ferry.core.ExitCode;
import dev.ferry.core.StepFailure;
import dev.ferry.core.workspace.AtomicFiles;
import dev.ferry.core.workspace.Workspace;
import dev.ferry.pg.PgTool;
import dev.ferry.pg.PgToolRunner;
import dev.ferry.pg.ToolResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Writes {@code globals.sql} with {@code pg_dumpall --globals-only}: the roles (Onyx's
 * db_readonly_user) and tablespaces a per-database dump does not carry. A non-superuser may not read
 * pg_authid, where the password hashes live; then the roles are dumped without passwords.
 */
final class GlobalsDump {

    private static final Logger LOG = Logger.getLogger(GlobalsDump.class);

    private final PgToolRunner runner;
    private final Duration timeout;

    GlobalsDump(PgToolRunner runner, Duration timeout) {
        this.runner = runner;
        this.timeout = timeout;
    }

    /** Returns the written file and whether role passwords had to be left out. */
    Result run(Workspace workspace, String database) {
        Path target = workspace.globalsFile();
        Path partial = AtomicFiles.partial(target);
        AtomicFiles.deleteRecursively(partial);
        ToolResult first = runner.run(PgTool.PG_DUMPALL, arguments(partial, database, false), timeout);
        boolean withoutPasswords = false;
        ToolResult result = first;
        if (!first.succeeded() && first.stderr().contains("permission denied")) {
            LOG.warnf("phase=globals note=\"not allowed to read role passwords (not a superuser); dumping roles "
                    + "without passwords: set them on the target before Onyx logs in as those roles\"");
            withoutPasswords = true;
            result = runner.run(PgTool.PG_DUMPALL, arguments(partial, database, true), timeout);
        }
        if (!result.succeeded()) {
            AtomicFiles.deleteRecursively(partial);
            throw new StepFailure(
                    ExitCode.UNEXPECTED,
                    "pg_dumpall --globals-only failed (exit " + result.exitCode() + "): " + result.stderrSummary(1000));
        }
        AtomicFiles.publish(partial, target);
        LOG.infof("phase=globals file=%s role_passwords=%s", target, withoutPasswords ? "omitted" : "included");
        return new Result(target, withoutPasswords);
    }

    private static List<String> arguments(Path output, String database, boolean noRolePasswords) {
        List<String> args = new ArrayList<>(List.of(
                "--globals-only",
                "--file=" + output,
                "--no-password",
                // Connect to the Onyx database: managed servers may not let this user into "postgres".
                "--database=" + database));
        if (noRolePasswords) {
            args.add("--no-role-passwords");
        }
        return args;
    }

    record Result(Path file, boolean rolePasswordsOmitted) {}
}
