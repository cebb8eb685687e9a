package dev.ferry.core.workspace;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Locale;

/** What an artifact of a migration is, as the manifest records it for the steps that consume it. */
// Jackson calls label() and fromLabel() reflectively: registered so a native image keeps them.
@RegisterForReflection
public enum ArtifactKind {
    /** pg_dump's output: the one custom-format file, or each file of a directory-format dump. */
    DUMP,
    /** {@code globals.sql} from {@code pg_dumpall --globals-only}: roles and tablespaces. */
    GLOBALS;

    /** The manifest's spelling: dump, globals. */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ArtifactKind fromLabel(String label) {
        for (ArtifactKind kind : values()) {
            if (kind.label().equals(label)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown artifact kind \"" + label + "\"");
    }
}
