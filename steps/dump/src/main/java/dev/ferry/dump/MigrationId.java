package dev.ferry.dump;

import dev.ferry.core.StepFailure;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * The name of a migration: given (FERRY_MIGRATION_ID), or generated as {@code <database>-<UTC time>}.
 * It becomes a folder name in the workspace and an S3 key prefix, so it is kept to safe characters.
 */
final class MigrationId {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final String SAFE = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

    private MigrationId() {
    }

    static String resolve(Optional<String> given, String database, Instant now) {
        if (given.isPresent() && !given.get().isBlank()) {
            String id = given.get().strip();
            if (!id.matches(SAFE)) {
                throw StepFailure.badConfiguration("FERRY_MIGRATION_ID \"" + id
                        + "\" must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
            }
            return id;
        }
        String base = database.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        base = base.length() > 100 ? base.substring(0, 100) : base;
        return (base.isEmpty() ? "db" : base) + "-" + STAMP.format(now);
    }
}
