package dev.ferry.download;

import dev.ferry.core.StepFailure;
import dev.ferry.s3.ObjectLayout;
import dev.ferry.s3.S3Transfer;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The migrations found under the prefix, told apart by completeness: a migration is complete when
 * its {@code manifest.json} exists, because upload writes the manifest last. "Newest" means the
 * manifest with the latest LastModified: the moment the upload completed, as the store's own clock
 * saw it (no manifest has to be downloaded to decide, and clocks of the clusters do not matter).
 */
record CompleteMigrations(List<Candidate> complete, Set<String> incomplete) {

    private static final Logger LOG = Logger.getLogger(CompleteMigrations.class);

    /** The id of the newest complete migration in the store; none is a verification failure naming what was found. */
    static String newestIn(S3Transfer store) {
        ObjectLayout layout = store.layout();
        CompleteMigrations migrations = of(store.list(layout.migrationsPrefix()), layout);
        Candidate newest = migrations
                .newest()
                .orElseThrow(() -> StepFailure.verificationFailed("no complete migration under "
                        + layout.uri(layout.migrationsPrefix()) + " (none has a manifest.json"
                        + (migrations.incomplete().isEmpty() ? "" : "; incomplete: " + migrations.incomplete())
                        + "): run upload, or set FERRY_MIGRATION_ID"));
        LOG.infof(
                "phase=resolve migration=%s source=newest_complete manifest_written=%s complete=%d ignored_incomplete=%s",
                newest.migrationId(),
                newest.manifestWritten(),
                migrations.complete().size(),
                migrations.incomplete());
        return newest.migrationId();
    }

    /** A complete migration and when its manifest was written. */
    record Candidate(String migrationId, Instant manifestWritten) {}

    static CompleteMigrations of(List<S3Object> objects, ObjectLayout layout) {
        List<Candidate> complete = objects.stream()
                .flatMap(o -> layout
                        .migrationIdOfManifestKey(o.key())
                        .map(id -> new Candidate(id, o.lastModified() == null ? Instant.EPOCH : o.lastModified()))
                        .stream())
                .toList();
        Set<String> completeIds = complete.stream().map(Candidate::migrationId).collect(Collectors.toSet());
        String prefix = layout.migrationsPrefix();
        Set<String> incomplete = objects.stream()
                .map(S3Object::key)
                .filter(key -> key.startsWith(prefix) && key.indexOf('/', prefix.length()) > 0)
                .map(key -> key.substring(prefix.length(), key.indexOf('/', prefix.length())))
                .filter(id -> !completeIds.contains(id))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        return new CompleteMigrations(complete, incomplete);
    }

    /** The most recently completed migration; equal timestamps fall back to the larger id. */
    Optional<Candidate> newest() {
        return complete.stream()
                .max(Comparator.comparing(Candidate::manifestWritten).thenComparing(Candidate::migrationId));
    }
}
