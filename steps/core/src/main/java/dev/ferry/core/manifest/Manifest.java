package dev.ferry.core.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.ferry.core.StepFailure;
import dev.ferry.core.workspace.ArtifactKind;
import dev.ferry.core.workspace.DumpFormat;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What travels with the dump: the source as it was, the artifacts with their digests, the frozen
 * workloads. Written by dump, completed by freeze and upload, read by every later step; it is the
 * truth about what the new database must look like. Unknown fields are kept readable so an older
 * step can read a newer manifest.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(
        int formatVersion,
        String migrationId,
        Instant createdAt,
        Source source,
        DumpSettings dump,
        List<Artifact> artifacts,
        Inventory inventory,
        Freeze freeze,
        Upload upload,
        List<PhaseTiming> timeline) {

    /** The manifest format this build writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    public Manifest {
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
    }

    /** A manifest whose export steps' timings are not known yet (upload adds them). */
    public Manifest(
            int formatVersion,
            String migrationId,
            Instant createdAt,
            Source source,
            DumpSettings dump,
            List<Artifact> artifacts,
            Inventory inventory,
            Freeze freeze,
            Upload upload) {
        this(formatVersion, migrationId, createdAt, source, dump, artifacts, inventory, freeze, upload, List.of());
    }

    /**
     * {@code manifest} as read from {@code where}, if this build understands it: a newer format may mean
     * something this step would silently get wrong, so it is refused (exit 4) rather than half read.
     */
    public static Manifest checked(Manifest manifest, String where) {
        if (manifest.formatVersion() < 1 || manifest.formatVersion() > FORMAT_VERSION) {
            throw StepFailure.verificationFailed(
                    where + " has formatVersion " + manifest.formatVersion() + "; this Ferry reads formatVersion 1 to "
                            + FORMAT_VERSION + ": use the Ferry release that wrote it or a newer one");
        }
        return manifest;
    }

    /** The artifacts of one kind, in manifest order. */
    public List<Artifact> artifacts(ArtifactKind kind) {
        return artifacts.stream().filter(a -> a.kind() == kind).toList();
    }

    /** Bytes of every artifact together. */
    public long totalBytes() {
        return artifacts.stream().mapToLong(Artifact::size).sum();
    }

    public Manifest withArtifacts(List<Artifact> newArtifacts) {
        return new Manifest(
                formatVersion, migrationId, createdAt, source, dump, newArtifacts, inventory, freeze, upload, timeline);
    }

    public Manifest withFreeze(Freeze newFreeze) {
        return new Manifest(
                formatVersion, migrationId, createdAt, source, dump, artifacts, inventory, newFreeze, upload, timeline);
    }

    public Manifest withUpload(Upload newUpload) {
        return new Manifest(
                formatVersion, migrationId, createdAt, source, dump, artifacts, inventory, freeze, newUpload, timeline);
    }

    /** The same manifest carrying {@code phases}: the export side's steps, for the import side's report. */
    public Manifest withTimeline(List<PhaseTiming> phases) {
        return new Manifest(
                formatVersion, migrationId, createdAt, source, dump, artifacts, inventory, freeze, upload, phases);
    }

    /**
     * The steps of this migration that ran so far: those this manifest carries from the export side, then those
     * {@code recorded} in a workspace (the same workspace in a cutover, the import side's otherwise), the later
     * record of a step winning. Freeze's record has no migration id: it belongs here when this manifest
     * names the freeze it followed. In the order the steps started.
     */
    public List<PhaseTiming> timelineWith(List<PhaseTiming> recorded) {
        Map<String, PhaseTiming> byStep = new LinkedHashMap<>();
        Stream.concat(timeline.stream(), recorded.stream())
                .filter(t -> migrationId.equals(t.migrationId()) || (t.migrationId() == null && freeze != null))
                .forEach(t -> byStep.merge(t.step(), t, (a, b) -> b.endedAt().isAfter(a.endedAt()) ? b : a));
        return byStep.values().stream()
                .sorted(Comparator.comparing(PhaseTiming::startedAt))
                .toList();
    }

    /** The server and tools the dump came from. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Source(String serverVersion, int serverMajorVersion, String database, String pgDumpVersion) {}

    /**
     * How pg_dump was run, so restore can pick matching pg_restore options; {@code snapshot} is the exported
     * snapshot the dump and the inventory both read (null in manifests from before it existed); {@code follow} is
     * the follow this dump is the base copy of (absent when the dump did not start one).
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DumpSettings(
            DumpFormat format,
            String compression,
            int jobs,
            boolean globals,
            Snapshot snapshot,
            Boolean globalsRolePasswords,
            Follow follow) {

        public DumpSettings(
                DumpFormat format,
                String compression,
                int jobs,
                boolean globals,
                Snapshot snapshot,
                Boolean globalsRolePasswords) {
            this(format, compression, jobs, globals, snapshot, globalsRolePasswords, null);
        }

        public DumpSettings(DumpFormat format, String compression, int jobs, boolean globals, Snapshot snapshot) {
            this(format, compression, jobs, globals, snapshot, null);
        }

        public DumpSettings(DumpFormat format, String compression, int jobs, boolean globals) {
            this(format, compression, jobs, globals, null);
        }
    }

    /**
     * The one snapshot the dump was read in, and the rows written to the source after it while the dump
     * ran (by the source's statistics): those are not in the dump. After a freeze they refuse the dump;
     * in a rehearsal they travel here, into validate's report.
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Snapshot(String id, List<TableWrites> writesAfter) {

        private static final int TABLES_NAMED = 5;

        public Snapshot {
            writesAfter = writesAfter == null ? List.of() : List.copyOf(writesAfter);
        }

        public long rowsWrittenAfter() {
            return writesAfter.stream().mapToLong(TableWrites::rows).sum();
        }

        /** The tables written to, most rows first, for a message: {@code public.chat_message (33), …}. */
        public String describeWrites() {
            String named = writesAfter.stream()
                    .limit(TABLES_NAMED)
                    .map(t -> t.qualifiedName() + " (" + t.rows() + ")")
                    .collect(Collectors.joining(", "));
            int more = writesAfter.size() - TABLES_NAMED;
            return more > 0 ? named + " and " + more + " more tables" : named;
        }
    }

    /**
     * The follow this dump is the base copy of: the logical replication slot it created on the source and the
     * publication it streams, the slot's consistent point ({@code consistentPoint}, an LSN as PostgreSQL prints it,
     * e.g. {@code 0/1BB9ED0}: the dump holds every transaction committed before it and none after, so apply starts
     * there), the snapshot the slot exported and the dump read, and the replica identities the follow changed (put
     * back when the follow ends; the publication's comment on the source records them too).
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Follow(
            String slot,
            String publication,
            String consistentPoint,
            String snapshot,
            List<ReplicaIdentity> replicaIdentities) {
        public Follow {
            replicaIdentities = replicaIdentities == null ? List.of() : List.copyOf(replicaIdentities);
        }
    }

    /**
     * A table whose replica identity a follow set to {@code index} ({@code REPLICA IDENTITY USING INDEX}), and what it
     * was before: {@code DEFAULT}, {@code NOTHING} or {@code FULL}.
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ReplicaIdentity(String table, String index, String before) {}

    /** Rows inserted, updated or deleted in one table. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TableWrites(String schema, String table, long rows) {
        public String qualifiedName() {
            return schema + "." + table;
        }
    }

    /**
     * One file of the migration, path relative to the workdir (and to the migration's folder in the
     * bucket), with its exact size and SHA-256 hex digest; {@code stored} says how upload stored it when that
     * is not as it is (encrypted), so download can prove the object as stored and then its plaintext.
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Artifact(String path, ArtifactKind kind, long size, String sha256, Stored stored) {

        /** An artifact as dump writes it: not stored yet. */
        public Artifact(String path, ArtifactKind kind, long size, String sha256) {
            this(path, kind, size, sha256, null);
        }

        /** This artifact as upload stored it. */
        public Artifact storedAs(Stored how) {
            return new Artifact(path, kind, size, sha256, how);
        }

        /** Whether the object in the bucket is this file encrypted (download must decrypt it). */
        public boolean encrypted() {
            return stored != null && stored.encryption() != null;
        }
    }

    /**
     * An artifact's object as stored when it differs from the file: the encryption scheme, the id of the key it
     * was encrypted under (never the key), and the size and SHA-256 of the object's bytes in the bucket.
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Stored(String encryption, long keyId, long size, String sha256) {}

    /** Where upload put the artifacts, and when it finished. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Upload(String bucket, String prefix, Instant completedAt) {}

    /**
     * The writers freeze stopped, with the replica counts to bring back, and the KEDA ScaledObjects it
     * paused so that KEDA would not scale them up again (unfreeze removes exactly these pauses).
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Freeze(
            String namespace, Instant frozenAt, List<FrozenWorkload> workloads, List<String> pausedScaledObjects) {
        public Freeze {
            workloads = workloads == null ? List.of() : List.copyOf(workloads);
            pausedScaledObjects = pausedScaledObjects == null ? List.of() : List.copyOf(pausedScaledObjects);
        }

        public Freeze(String namespace, Instant frozenAt, List<FrozenWorkload> workloads) {
            this(namespace, frozenAt, workloads, List.of());
        }

        public Freeze withPausedScaledObjects(List<String> names) {
            return new Freeze(namespace, frozenAt, workloads, names);
        }
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FrozenWorkload(String kind, String name, int replicas) {}
}
