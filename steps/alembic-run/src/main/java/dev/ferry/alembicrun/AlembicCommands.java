package dev.ferry.alembicrun;

import java.util.List;

/** The alembic invocations Onyx itself uses for each database layout (ONYX.md). */
public final class AlembicCommands {

    private AlembicCommands() {}

    public static List<List<String>> forLayout(String executable, boolean multiTenant) {
        if (!multiTenant) {
            return List.of(List.of(executable, "upgrade", "head"));
        }
        return List.of(
                List.of(executable, "-n", "schema_private", "upgrade", "head"),
                List.of(executable, "-x", "upgrade_all_tenants=true", "upgrade", "head"));
    }
}
