package dev.ferry.validate;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.ArrayList;
import java.util.List;

/**
 * The target compared with the source inventory, item by item, with the mismatches and warnings
 * as one-line sentences (the first few make the step's failure message).
 */
@RegisterForReflection
public record Comparison(
        List<SchemaCheck> schemas,
        List<TableCheck> tables,
        List<SequenceCheck> sequences,
        CountCheck largeObjects,
        CountCheck schemaObjects,
        List<ExtensionCheck> extensions,
        List<AlembicCheck> alembicVersions,
        List<String> mismatches,
        List<String> warnings) {

    public boolean passed() {
        return mismatches.isEmpty();
    }

    /** The same comparison with one more warning (a fact about the migration that is not a mismatch). */
    public Comparison withWarning(String warning) {
        List<String> more = new ArrayList<>(warnings);
        more.add(warning);
        return new Comparison(
                schemas,
                tables,
                sequences,
                largeObjects,
                schemaObjects,
                extensions,
                alembicVersions,
                mismatches,
                List.copyOf(more));
    }

    /** A schema, present in the source and/or the target. */
    @RegisterForReflection
    public record SchemaCheck(String schema, boolean inSource, boolean inTarget, Verdict verdict) {}

    /** Exact row counts; null means the table does not exist on that side. */
    @RegisterForReflection
    /** {@code content}: {@code match} or {@code differs} when both sides' rows were digested, else {@code not compared}. */
    public record TableCheck(String table, Long sourceRows, Long targetRows, String content, Verdict verdict) {}

    /** Last values as text: a number, {@code not called}, or {@code missing}. */
    @RegisterForReflection
    public record SequenceCheck(String sequence, String sourceLastValue, String targetLastValue, Verdict verdict) {}

    @RegisterForReflection
    /** {@code content} as for tables: the large objects' bytes, owners and ACLs digested on both sides. */
    public record CountCheck(long source, long target, String content, Verdict verdict) {}

    /** Versions; null means the extension is not installed on that side. */
    @RegisterForReflection
    public record ExtensionCheck(String extension, String sourceVersion, String targetVersion, Verdict verdict) {}

    /** The revisions in a schema's alembic_version; null means the schema has no such table on that side. */
    @RegisterForReflection
    public record AlembicCheck(String schema, List<String> source, List<String> target, Verdict verdict) {}
}
