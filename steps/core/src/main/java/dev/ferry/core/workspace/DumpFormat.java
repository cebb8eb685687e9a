package dev.ferry.core.workspace;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Locale;

/** pg_dump's archive formats Ferry writes and restores, and where each lives on the workspace. */
// Jackson calls label() and fromLabel() reflectively: registered so a native image keeps them.
@RegisterForReflection
public enum DumpFormat {
    /** One file ({@code -Fc}), as Onyx's runbook does; restorable in parallel, written by one process. */
    CUSTOM("dump.pgdump"),
    /** A folder of files ({@code -Fd}) holding {@code toc.dat}; the only format pg_dump writes with several jobs. */
    DIRECTORY("dump.dir");

    private final String workspaceName;

    DumpFormat(String workspaceName) {
        this.workspaceName = workspaceName;
    }

    /** The name pg_dump ({@code --format=}) and the manifest use: custom, directory. */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The file or folder name of a dump in this format inside FERRY_WORKDIR. */
    public String workspaceName() {
        return workspaceName;
    }

    @JsonCreator
    public static DumpFormat fromLabel(String label) {
        for (DumpFormat format : values()) {
            if (format.label().equals(label)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown dump format \"" + label + "\"");
    }
}
