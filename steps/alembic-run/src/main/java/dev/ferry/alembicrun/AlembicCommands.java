package dev.ferry.alembicrun;

import java.util.List;
import java.util.OptionalInt;

/** The alembic invocations Onyx itself uses for each database layout (ONYX.md). */
public final class AlembicCommands {

    /** Onyx's parallel tenant runner, in images since 2025 (batches of schemas in parallel alembic processes). */
    static final String PARALLEL_TENANT_RUNNER = "alembic/run_multitenant_migrations.py";

    private AlembicCommands() {}

    public static List<List<String>> forLayout(String executable, boolean multiTenant) {
        return forLayout(executable, multiTenant, OptionalInt.empty());
    }

    /**
     * Single-tenant: {@code alembic upgrade head}. Multi-tenant: the public schema's own tree first ({@code -n
     * schema_private}), then every tenant schema, with Onyx's parallel runner when the image has it ({@code -j
     * tenantJobs} when given, its own default otherwise) and {@code -x upgrade_all_tenants=true} when it does not.
     */
    public static List<List<String>> forLayout(String executable, boolean multiTenant, OptionalInt tenantJobs) {
        if (!multiTenant) {
            return List.of(List.of(executable, "upgrade", "head"));
        }
        String jobs = tenantJobs.isPresent() ? " -j " + tenantJobs.getAsInt() : "";
        String tenants = "if [ -f " + PARALLEL_TENANT_RUNNER + " ]; then exec \"$(command -v python3 || command -v"
                + " python)\" " + PARALLEL_TENANT_RUNNER + jobs + "; else exec " + ShellWords.quote(executable)
                + " -x upgrade_all_tenants=true upgrade head; fi";
        return List.of(
                List.of(executable, "-n", "schema_private", "upgrade", "head"), List.of("/bin/sh", "-c", tenants));
    }
}
