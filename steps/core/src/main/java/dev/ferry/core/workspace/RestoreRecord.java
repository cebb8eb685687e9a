package dev.ferry.core.workspace;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/**
 * {@code restore.json}, written by a restore that succeeded: which database it filled and with which
 * options, so that validate knows what to expect (without owners and grants, none can be compared), and
 * the source's login roles that restore could not give a password (no globals.sql with passwords, no
 * password setting): validate reports those as warnings instead of mismatches.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record RestoreRecord(
        String migrationId,
        String database,
        boolean noOwner,
        boolean clean,
        Instant restoredAt,
        List<String> loginRolesWithoutPassword) {

    public RestoreRecord {
        loginRolesWithoutPassword =
                loginRolesWithoutPassword == null ? List.of() : List.copyOf(loginRolesWithoutPassword);
    }

    public RestoreRecord(String migrationId, String database, boolean noOwner, boolean clean, Instant restoredAt) {
        this(migrationId, database, noOwner, clean, restoredAt, List.of());
    }
}
