package dev.ferry.follow.preflight;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/**
 * {@code report/follow-preflight.json}: every finding, the replica identities a follow would set, the write
 * transactions seen and the large objects, for a person or a later step to read (Jackson writes it; registered
 * for a native image).
 */
@RegisterForReflection(
        targets = {
            Finding.class,
            TableKeysCheck.ReplicaIdentity.class,
            WriteTransactions.Running.class,
            LargeObjects.Activity.class
        })
public record PreflightReport(
        Instant checkedAt,
        String source,
        String sourceVersion,
        String target,
        boolean ready,
        long refusals,
        long warnings,
        int tables,
        List<Finding> findings,
        List<TableKeysCheck.ReplicaIdentity> replicaIdentitiesToSet,
        List<WriteTransactions.Running> writeTransactions,
        LargeObjects.Activity largeObjects) {

    static final String FILE = "follow-preflight.json";
}
