package dev.ferry.core.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/**
 * The source database as dump saw it: what validate later demands of the target. Row counts are
 * exact ({@code count(*)}), not planner estimates.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record Inventory(
        List<String> schemas,
        List<TableRows> tables,
        List<SequenceValue> sequences,
        long largeObjects,
        List<Extension> extensions,
        List<String> roles,
        Map<String, List<String>> alembicVersions,
        long databaseSizeBytes,
        String largeObjectsDigest,
        List<SchemaObject> schemaObjects,
        List<RoleFacts> roleFacts) {

    /** An inventory without the facts of its roles (an older Ferry's). */
    public Inventory(
            List<String> schemas,
            List<TableRows> tables,
            List<SequenceValue> sequences,
            long largeObjects,
            List<Extension> extensions,
            List<String> roles,
            Map<String, List<String>> alembicVersions,
            long databaseSizeBytes,
            String largeObjectsDigest,
            List<SchemaObject> schemaObjects) {
        this(
                schemas,
                tables,
                sequences,
                largeObjects,
                extensions,
                roles,
                alembicVersions,
                databaseSizeBytes,
                largeObjectsDigest,
                schemaObjects,
                null);
    }

    /** An inventory without content digests (counts only). */
    public Inventory(
            List<String> schemas,
            List<TableRows> tables,
            List<SequenceValue> sequences,
            long largeObjects,
            List<Extension> extensions,
            List<String> roles,
            Map<String, List<String>> alembicVersions,
            long databaseSizeBytes) {
        this(
                schemas,
                tables,
                sequences,
                largeObjects,
                extensions,
                roles,
                alembicVersions,
                databaseSizeBytes,
                null,
                null);
    }

    public Inventory {
        schemas = schemas == null ? List.of() : List.copyOf(schemas);
        tables = tables == null ? List.of() : List.copyOf(tables);
        sequences = sequences == null ? List.of() : List.copyOf(sequences);
        extensions = extensions == null ? List.of() : List.copyOf(extensions);
        roles = roles == null ? List.of() : List.copyOf(roles);
        alembicVersions = alembicVersions == null ? Map.of() : Map.copyOf(alembicVersions);
        schemaObjects = schemaObjects == null ? List.of() : List.copyOf(schemaObjects);
        roleFacts = roleFacts == null ? List.of() : List.copyOf(roleFacts);
    }

    /** The same inventory with other tables. */
    public Inventory withTables(List<TableRows> newTables) {
        return new Inventory(
                schemas,
                newTables,
                sequences,
                largeObjects,
                extensions,
                roles,
                alembicVersions,
                databaseSizeBytes,
                largeObjectsDigest,
                schemaObjects,
                roleFacts);
    }

    /** The same inventory with another digest of the large objects. */
    public Inventory withLargeObjectsDigest(String digest) {
        return new Inventory(
                schemas,
                tables,
                sequences,
                largeObjects,
                extensions,
                roles,
                alembicVersions,
                databaseSizeBytes,
                digest,
                schemaObjects,
                roleFacts);
    }

    /** The same inventory with other schema objects. */
    public Inventory withSchemaObjects(List<SchemaObject> objects) {
        return new Inventory(
                schemas,
                tables,
                sequences,
                largeObjects,
                extensions,
                roles,
                alembicVersions,
                databaseSizeBytes,
                largeObjectsDigest,
                objects,
                roleFacts);
    }

    /** The same inventory with other role facts. */
    public Inventory withRoleFacts(List<RoleFacts> facts) {
        return new Inventory(
                schemas,
                tables,
                sequences,
                largeObjects,
                extensions,
                roles,
                alembicVersions,
                databaseSizeBytes,
                largeObjectsDigest,
                schemaObjects,
                facts);
    }

    /** Rows of every table together. */
    public long totalRows() {
        return tables.stream().mapToLong(TableRows::rows).sum();
    }

    /**
     * {@code bytes} is the table's size on the source's disk ({@code pg_table_size}: heap and TOAST,
     * no indexes) when dump read it, 0 in manifests older than that; restore plans its parallel loads on it.
     * {@code contentDigest} is the digest of its rows (dev.ferry.pg.ContentDigests), null when not read;
     * {@code sample} the digest of a fixed sample of them, null when not read.
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TableRows(String schema, String name, long rows, long bytes, String contentDigest, Sample sample) {

        public TableRows(String schema, String name, long rows, long bytes, String contentDigest) {
            this(schema, name, rows, bytes, contentDigest, null);
        }

        public TableRows(String schema, String name, long rows) {
            this(schema, name, rows, 0, null);
        }

        /** The same table with {@code digest} as its content digest (validate compares samples this way). */
        public TableRows withContentDigest(String digest) {
            return new TableRows(schema, name, rows, bytes, digest, sample);
        }

        public String qualifiedName() {
            return schema + "." + name;
        }
    }

    /**
     * The digest of the rows whose {@code key} columns hash into one of {@code oneIn} equal buckets (the md5 of
     * the key's text form starting with {@code 0}): the same rows on both ends whatever their physical order,
     * chosen without an index. The key is the primary key, else the first plain unique index, else every stored
     * column; the source chooses it and the target uses the same columns.
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Sample(List<String> key, int oneIn, String digest) {
        public Sample {
            key = key == null ? List.of() : List.copyOf(key);
        }
    }

    /** {@code lastValue} is null for a sequence that was never called (is_called = false). */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SequenceValue(String schema, String name, Long lastValue) {
        public String qualifiedName() {
            return schema + "." + name;
        }
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Extension(String name, String version) {}

    /**
     * An index, constraint, trigger, owner or grant (dev.ferry.pg.SchemaObjects): {@code kind}, its qualified
     * {@code name} and the md5 of its definition as the server prints it. Empty in manifests older than that.
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SchemaObject(String kind, String name, String definitionMd5) implements Comparable<SchemaObject> {

        public String label() {
            return kind + " " + name;
        }

        /**
         * A view or a function with an SQL-standard body: its definition is the server's own print of a parse
         * tree, which another major version may print differently.
         */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean deparsed() {
            return kind.equals("view") || kind.equals("materialized view") || kind.equals("sql function");
        }

        /** An owner or a grant: it names roles, so a restore without owners and grants cannot match it. */
        public boolean namesRoles() {
            return kind.equals("owner") || kind.equals("grant");
        }

        @Override
        public int compareTo(SchemaObject other) {
            return label().compareTo(other.label());
        }
    }

    /**
     * What a role the database refers to is on the server: whether it may log in, and the roles it is a
     * member of (predefined {@code pg_*} roles included: {@code pg_read_all_data} grants as much as a table
     * GRANT). Passwords are not among them: they never leave the server in a manifest.
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RoleFacts(String name, boolean login, List<String> memberOf) {
        public RoleFacts {
            memberOf = memberOf == null ? List.of() : List.copyOf(memberOf);
        }
    }
}
