package dev.ferry.validate;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * What {@code report/validation.json} holds: which migration, which target, the verdict and every check, the
 * bytes the migration moved and the outage it takes ({@code outage} is null when no step's timing is known).
 */
@RegisterForReflection
public record ValidationReport(
        String migrationId,
        String sourceDatabase,
        String sourceServerVersion,
        String target,
        Instant checkedAt,
        String compared,
        String verdict,
        int mismatchCount,
        int warningCount,
        Comparison checks,
        long artifactBytes,
        long sourceDatabaseBytes,
        OutagePrediction outage) {

    public static final String PASSED = "passed";
    public static final String FAILED = "failed";

    public static ValidationReport of(
            String migrationId,
            String sourceDatabase,
            String sourceServerVersion,
            String target,
            Instant checkedAt,
            String compared,
            Comparison checks,
            long artifactBytes,
            long sourceDatabaseBytes,
            OutagePrediction outage) {
        return new ValidationReport(
                migrationId,
                sourceDatabase,
                sourceServerVersion,
                target,
                checkedAt,
                compared,
                checks.passed() ? PASSED : FAILED,
                checks.mismatches().size(),
                checks.warnings().size(),
                checks,
                artifactBytes,
                sourceDatabaseBytes,
                outage);
    }
}
