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
        List<RoleFacts> roleFacts,
        List<String> schemaObjectKinds) {

    /**
     * The kinds of schema objects a manifest without {@code schemaObjectKinds} recorded (Ferry before column
     * defaults, generated columns, policies, row security and domain constraints were compared): validate compares
     * only these kinds with such a manifest, so the newer kinds are neither missing nor extra.
     */
    public static final List<String> KINDS_BEFORE_DEFINITIONS = List.of(
            "index",
            "constraint",
            "trigger",
            "view",
            "materialized view",
            "function",
            "sql function",
            "sequence",
            "owner",
            "grant");

    /** An inventory without the kinds of schema objects it recorded (an older Ferry's). */
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
            List<SchemaObject> schemaObjects,
            List<RoleFacts> roleFacts) {
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
                roleFacts,
                null);
    }

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
        schemaObjectKinds = schemaObjectKinds == null ? List.of() : List.copyOf(schemaObjectKinds);
    }

    /** The kinds of schema objects this inventory records: {@link #KINDS_BEFORE_DEFINITIONS} when it does not say. */
    public List<String> recordedSchemaObjectKinds() {
        return schemaObjectKinds.isEmpty() ? KINDS_BEFORE_DEFINITIONS : schemaObjectKinds;
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
                roleFacts,
                schemaObjectKinds);
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
                roleFacts,
                schemaObjectKinds);
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
                roleFacts,
                schemaObjectKinds);
    }

    /** The same inventory with other schema objects, of the kinds {@code kinds}. */
    public Inventory withSchemaObjects(List<SchemaObject> objects, List<String> kinds) {
        return withSchemaObjects(objects).withKinds(kinds);
    }

    private Inventory withKinds(List<String> kinds) {
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
                roleFacts,
                kinds);
    }

    /** The same inventory with other sequence values. */
    public Inventory withSequences(List<SequenceValue> values) {
        return new Inventory(
                schemas,
                tables,
                values,
                largeObjects,
                extensions,
                roles,
                alembicVersions,
                databaseSizeBytes,
                largeObjectsDigest,
                schemaObjects,
                roleFacts,
                schemaObjectKinds);
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
                facts,
                schemaObjectKinds);
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

        /**
         * The rows of a table an inventory was asked not to count: a follow's cutover knows them from the base copy
         * and the changes since, and counting them again would take time in proportion to the database.
         */
        public static final long NOT_COUNTED = -1;

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
     * A schema object (dev.ferry.pg.SchemaObjects): {@code kind}, its qualified {@code name} and the md5 of its
     * definition as the server prints it. Empty in manifests older than that. {@code definition} is that print itself
     * for the kinds whose definition is a server's print of a parse tree ({@link #reprintable}), so that validate can
     * have a target of another major read it again; null for other kinds and in manifests older than that.
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SchemaObject(String kind, String name, String definitionMd5, String definition)
            implements Comparable<SchemaObject> {

        /** The kinds whose definition is a print of what the server parsed, which each major prints its own way. */
        public static final List<String> REPRINTABLE = List.of(
                "index",
                "constraint",
                "trigger",
                "view",
                "materialized view",
                "function",
                "sql function",
                "default",
                "generated column",
                "policy",
                "domain constraint");

        /** An object without its definition's text (a kind that has none, or an older manifest). */
        public SchemaObject(String kind, String name, String definitionMd5) {
            this(kind, name, definitionMd5, null);
        }

        public String label() {
            return kind + " " + name;
        }

        /**
         * A view or a function with an SQL-standard body: its definition is the server's own print of a parse
         * tree, which another major version may print differently. What a manifest without definitions allows
         * across majors (a warning); with definitions every {@link #reprintable} kind is read again instead.
         */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean deparsed() {
            return kind.equals("view") || kind.equals("materialized view") || kind.equals("sql function");
        }

        /** Of a kind whose definition another major may print differently (its text travels in the manifest). */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean reprintable() {
            return REPRINTABLE.contains(kind);
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
