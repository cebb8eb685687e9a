package dev.ferry.follow.bucket;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.ferry.core.Sha256;
import dev.ferry.core.manifest.Inventory.SchemaObject;
import dev.ferry.core.manifest.Inventory.SequenceValue;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the frozen source looks like once drained, in {@code follow/final-state.json} (sealed like a segment: it holds
 * row digests and keys): exact row counts of every table (counted, or the base copy's plus the changes since); for
 * every row a follow touched since the snapshot, its digest on the source (or that it is absent); a truncated table's
 * whole digest; every sequence; the schema objects and their fingerprint; {@code alembic_version}; every large object, and which of them capture carried through the
 * bucket ({@code follow/large-objects/<oid>}) or the target must remove. The target must look exactly like this
 * before it is scaled up.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record FinalState(
        String format,
        String migrationId,
        String marker,
        String markerSegment,
        Instant at,
        String sourceVersion,
        List<TableState> tables,
        List<SequenceValue> sequences,
        Map<String, List<String>> alembicVersions,
        String schemaFingerprint,
        List<SchemaObject> schemaObjects,
        List<LargeObjectState> largeObjects,
        List<Long> largeObjectsCarried,
        List<Long> largeObjectsRemoved) {

    public static final String FORMAT = "ferry-follow-final-state/1";

    /**
     * Owners and grants name roles, which a restore without owners replaces: the base copy's validation speaks for
     * them. Every other kind of schema object is in the fingerprint and proven.
     */
    public static final List<String> NOT_PROVEN_KINDS = List.of("owner", "grant");

    public FinalState {
        tables = tables == null ? List.of() : List.copyOf(tables);
        sequences = sequences == null ? List.of() : List.copyOf(sequences);
        alembicVersions = alembicVersions == null ? Map.of() : Map.copyOf(alembicVersions);
        schemaObjects = schemaObjects == null ? List.of() : List.copyOf(schemaObjects);
        largeObjects = largeObjects == null ? List.of() : List.copyOf(largeObjects);
        largeObjectsCarried = largeObjectsCarried == null ? List.of() : List.copyOf(largeObjectsCarried);
        largeObjectsRemoved = largeObjectsRemoved == null ? List.of() : List.copyOf(largeObjectsRemoved);
    }

    /** A large object of the frozen source: its oid, owner and the md5 of its bytes. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LargeObjectState(long oid, String owner, String md5) {}

    /**
     * One table: its exact rows, and where they come from ({@link #ROWS_COUNTED} or {@link #ROWS_FROM_CHANGES}); the
     * rows touched since the snapshot by {@code keyColumns} (its replica identity), each with its digest or null where
     * the source holds no such row; and when it was truncated, its whole digest.
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TableState(
            String schema,
            String name,
            long rows,
            String rowsFrom,
            List<String> keyColumns,
            List<TouchedRow> touched,
            String digest) {
        public TableState {
            rowsFrom = rowsFrom == null ? ROWS_COUNTED : rowsFrom;
            keyColumns = keyColumns == null ? List.of() : List.copyOf(keyColumns);
            touched = touched == null ? List.of() : List.copyOf(touched);
        }

        public String qualifiedName() {
            return schema + "." + name;
        }

        /** Counted on the frozen source, so the proof counts the target's too. */
        public boolean counted() {
            return ROWS_COUNTED.equals(rowsFrom);
        }
    }

    /** {@code count(*)} on the frozen source. */
    public static final String ROWS_COUNTED = "count";

    /**
     * The base copy's exact count (its manifest's inventory, which the import's validate proved on the target) plus the
     * inserts less the deletes capture decoded since, from none after a truncate.
     */
    public static final String ROWS_FROM_CHANGES = "base-and-changes";

    /** A touched row by its key (PostgreSQL's text form of each key column), and its digest, null when absent. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TouchedRow(List<String> key, String digest) {
        public TouchedRow {
            key = List.copyOf(key);
        }
    }

    /** The objects a proof compares: every kind but {@link #NOT_PROVEN_KINDS}, by label. */
    public static List<SchemaObject> provenObjects(List<SchemaObject> objects) {
        return objects.stream()
                .filter(o -> !NOT_PROVEN_KINDS.contains(o.kind()))
                .sorted()
                .toList();
    }

    /** The SHA-256 of the proven objects' labels and definitions' md5s, one a line in label order. */
    public static String fingerprint(List<SchemaObject> objects) {
        String lines = provenObjects(objects).stream()
                .map(o -> o.label() + " " + o.definitionMd5())
                .collect(Collectors.joining("\n"));
        return Sha256.of(lines.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * What it holds, as the drain and capture log it: tables (those counted on the source), rows touched, sequences,
     * large objects.
     */
    public String summary() {
        return String.format(
                Locale.ROOT,
                "tables=%d tables_counted=%d touched_rows=%d sequences=%d large_objects=%d large_objects_carried=%d"
                        + " large_objects_removed=%d",
                tables().size(),
                countedTables(),
                touchedRows(),
                sequences().size(),
                largeObjects().size(),
                largeObjectsCarried().size(),
                largeObjectsRemoved().size());
    }

    /** Tables whose rows the frozen source counted (and the proof counts on the target). */
    public long countedTables() {
        return tables.stream().filter(TableState::counted).count();
    }

    /** Touched rows over every table. */
    public long touchedRows() {
        return tables.stream().mapToLong(t -> t.touched().size()).sum();
    }
}
