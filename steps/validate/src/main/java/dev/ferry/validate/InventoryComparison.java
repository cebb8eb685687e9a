package dev.ferry.validate;

import dev.ferry.core.manifest.Inventory;
import dev.ferry.pg.DefinitionProbes;
import dev.ferry.validate.Comparison.AlembicCheck;
import dev.ferry.validate.Comparison.CountCheck;
import dev.ferry.validate.Comparison.ExtensionCheck;
import dev.ferry.validate.Comparison.SchemaCheck;
import dev.ferry.validate.Comparison.SequenceCheck;
import dev.ferry.validate.Comparison.TableCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Compares the target's inventory with the source's from the manifest. Pure: no database, so every
 * rule is unit-tested. The rules (see the README):
 * <ul>
 * <li>schemas, tables and sequences: the same set on both sides; a table's exact row count equal;</li>
 * <li>a sequence's last value on the target at least the source's (a never-called source sequence
 * accepts anything);</li>
 * <li>the same number of large objects; the same alembic_version revisions in every schema;</li>
 * <li>extensions: missing or older on the target is a mismatch; newer, or present only on the
 * target, is a warning (pg_restore's CREATE EXTENSION installs the target server's default version,
 * which a newer major may have moved on), a mismatch when strict.</li>
 * </ul>
 */
public final class InventoryComparison {

    private final boolean strictExtensions;
    private final boolean sameMajorVersion;
    private final Set<String> loginRolesWithoutPassword;
    private final Map<String, DefinitionProbes.Outcome> probes;
    private final List<String> mismatches = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private InventoryComparison(
            boolean strictExtensions,
            Set<String> loginRolesWithoutPassword,
            boolean sameMajorVersion,
            Map<String, DefinitionProbes.Outcome> probes) {
        this.strictExtensions = strictExtensions;
        this.loginRolesWithoutPassword = loginRolesWithoutPassword;
        this.sameMajorVersion = sameMajorVersion;
        this.probes = probes;
    }

    /**
     * {@code inventory} with each table's sample digest in place of its content digest (none where it has no
     * sample), so that {@code sample} mode compares what dump sampled with what validate sampled.
     */
    public static Inventory onSamples(Inventory inventory) {
        return inventory.withTables(inventory.tables().stream()
                .map(t -> t.withContentDigest(
                        t.sample() == null ? null : t.sample().digest()))
                .toList());
    }

    /**
     * {@code inventory} with its sequences' values unknown, so only their presence is compared: a follow's base copy
     * is read while Onyx writes on, sequences are not transactional (pg_dump and the inventory each read the value of
     * their own moment) and not decoded, so their values are set when the follow is cut over.
     */
    public static Inventory withoutSequenceValues(Inventory inventory) {
        return inventory.withSequences(inventory.sequences().stream()
                .map(s -> new Inventory.SequenceValue(s.schema(), s.name(), null))
                .toList());
    }

    /** {@code inventory} without its owners, grants and roles (see {@link Inventory.SchemaObject#namesRoles}). */
    public static Inventory withoutRoles(Inventory inventory) {
        return inventory
                .withSchemaObjects(inventory.schemaObjects().stream()
                        .filter(object -> !object.namesRoles())
                        .toList())
                .withRoleFacts(List.of());
    }

    public static Comparison compare(Inventory source, Inventory target, boolean strictExtensions) {
        return compare(source, target, strictExtensions, Set.of());
    }

    /**
     * As {@link #compare(Inventory, Inventory, boolean)}, knowing which of the source's login roles restore
     * could give no password (restore.json): their LOGIN differing is a warning, not a mismatch.
     */
    public static Comparison compare(
            Inventory source, Inventory target, boolean strictExtensions, Set<String> loginRolesWithoutPassword) {
        return compare(source, target, strictExtensions, loginRolesWithoutPassword, true);
    }

    /**
     * As above, for a source and a target of the same PostgreSQL major version or not, before any definition was
     * read again on the target: across majors a different print of what a manifest without definitions calls
     * deparsed (views, SQL-standard function bodies) is a warning; a missing one is a mismatch either way.
     */
    public static Comparison compare(
            Inventory source,
            Inventory target,
            boolean strictExtensions,
            Set<String> loginRolesWithoutPassword,
            boolean sameMajorVersion) {
        return compare(source, target, strictExtensions, loginRolesWithoutPassword, sameMajorVersion, Map.of());
    }

    /**
     * As above, with what the target made of the source's definitions {@link #toProbe} named (by label): the same
     * print as the restored object's is a match, another print or a failure to create it a mismatch, whatever the
     * majors.
     */
    public static Comparison compare(
            Inventory source,
            Inventory target,
            boolean strictExtensions,
            Set<String> loginRolesWithoutPassword,
            boolean sameMajorVersion,
            Map<String, DefinitionProbes.Outcome> probes) {
        return new InventoryComparison(strictExtensions, loginRolesWithoutPassword, sameMajorVersion, probes)
                .run(source, target);
    }

    /**
     * The source's objects whose print differs from the target's and whose print the manifest carries: the ones the
     * target should read again ({@link DefinitionProbes}). Within one major too: from PostgreSQL 16 a definition
     * printed and parsed again (what pg_dump and pg_restore do) may print differently from the one first created
     * from its author's SQL (a varchar {@code IN} list: {@code ANY ((ARRAY[…])::text[])} becomes
     * {@code ANY (ARRAY[(…)::text, …])}).
     */
    public static List<Inventory.SchemaObject> toProbe(Inventory source, Inventory target) {
        Map<String, Inventory.SchemaObject> actual =
                byName(target.schemaObjects(), Inventory.SchemaObject::label, o -> o);
        return source.schemaObjects().stream()
                .filter(o -> o.reprintable() && o.definition() != null)
                .filter(o -> {
                    Inventory.SchemaObject found = actual.get(o.label());
                    return found != null && !found.definitionMd5().equals(o.definitionMd5());
                })
                .toList();
    }

    private Comparison run(Inventory source, Inventory target) {
        List<SchemaCheck> schemas = schemas(source, target);
        List<TableCheck> tables = tables(source, target);
        List<SequenceCheck> sequences = sequences(source, target);
        CountCheck largeObjects = largeObjects(source, target);
        CountCheck schemaObjects = schemaObjects(source, target);
        roles(source, target);
        List<ExtensionCheck> extensions = extensions(source, target);
        List<AlembicCheck> alembic = alembic(source, target);
        return new Comparison(
                schemas,
                tables,
                sequences,
                largeObjects,
                schemaObjects,
                extensions,
                alembic,
                List.copyOf(mismatches),
                List.copyOf(warnings));
    }

    private List<SchemaCheck> schemas(Inventory source, Inventory target) {
        List<SchemaCheck> checks = new ArrayList<>();
        for (String schema : union(source.schemas(), target.schemas())) {
            boolean inSource = source.schemas().contains(schema);
            boolean inTarget = target.schemas().contains(schema);
            Verdict verdict = inSource == inTarget ? Verdict.MATCH : Verdict.MISMATCH;
            if (!inTarget) {
                mismatches.add("schema " + schema + ": missing on the target");
            } else if (!inSource) {
                mismatches.add("schema " + schema + ": on the target but not in the source");
            }
            checks.add(new SchemaCheck(schema, inSource, inTarget, verdict));
        }
        return checks;
    }

    private List<TableCheck> tables(Inventory source, Inventory target) {
        Map<String, Inventory.TableRows> sourceTables =
                byName(source.tables(), Inventory.TableRows::qualifiedName, t -> t);
        Map<String, Inventory.TableRows> targetTables =
                byName(target.tables(), Inventory.TableRows::qualifiedName, t -> t);
        boolean targetDigested = target.tables().stream().anyMatch(t -> t.contentDigest() != null);
        if (targetDigested && source.tables().stream().allMatch(t -> t.contentDigest() == null)) {
            warnings.add("content: the manifest holds no content digests (dumped with FERRY_DUMP_CONTENT_DIGESTS=false"
                    + " or by an older Ferry), so rows were compared by count only");
        }
        List<TableCheck> checks = new ArrayList<>();
        for (String table : union(sourceTables.keySet(), targetTables.keySet())) {
            Long expected = rows(sourceTables.get(table));
            Long actual = rows(targetTables.get(table));
            String content = content(sourceTables.get(table), targetTables.get(table));
            Verdict verdict = Verdict.MATCH;
            if (actual == null) {
                verdict = mismatch("table " + table + ": missing on the target (" + expected + " rows in the source)");
            } else if (expected == null) {
                verdict = mismatch("table " + table + ": on the target (" + actual + " rows) but not in the source");
            } else if (!expected.equals(actual)) {
                verdict = mismatch(
                        "table " + table + ": " + expected + " rows in the source, " + actual + " on the target");
            } else if (content.equals(DIFFERS)) {
                verdict = mismatch("table " + table + ": the same " + actual
                        + " rows in number, but their content differs from the source's");
            }
            checks.add(new TableCheck(table, expected, actual, content, verdict));
        }
        return checks;
    }

    static final String MATCHES = "match";
    static final String DIFFERS = "differs";
    static final String NOT_COMPARED = "not compared";

    private static String content(Inventory.TableRows source, Inventory.TableRows target) {
        return source == null
                ? NOT_COMPARED
                : target == null ? NOT_COMPARED : content(source.contentDigest(), target.contentDigest());
    }

    private static String content(String sourceDigest, String targetDigest) {
        if (sourceDigest == null || targetDigest == null) {
            return NOT_COMPARED;
        }
        return sourceDigest.equals(targetDigest) ? MATCHES : DIFFERS;
    }

    private static Long rows(Inventory.TableRows table) {
        return table == null ? null : table.rows();
    }

    private List<SequenceCheck> sequences(Inventory source, Inventory target) {
        Map<String, Optional<Long>> sourceValues = byName(
                source.sequences(), Inventory.SequenceValue::qualifiedName, s -> Optional.ofNullable(s.lastValue()));
        Map<String, Optional<Long>> targetValues = byName(
                target.sequences(), Inventory.SequenceValue::qualifiedName, s -> Optional.ofNullable(s.lastValue()));
        List<SequenceCheck> checks = new ArrayList<>();
        for (String sequence : union(sourceValues.keySet(), targetValues.keySet())) {
            Optional<Long> expected = sourceValues.get(sequence);
            Optional<Long> actual = targetValues.get(sequence);
            Verdict verdict = Verdict.MATCH;
            if (actual == null) {
                verdict = mismatch("sequence " + sequence + ": missing on the target");
            } else if (expected == null) {
                verdict = mismatch("sequence " + sequence + ": on the target but not in the source");
            } else if (expected.isPresent() && (actual.isEmpty() || actual.get() < expected.get())) {
                verdict = mismatch("sequence " + sequence + ": behind on the target (" + text(actual) + " < "
                        + expected.get() + "), new rows would reuse ids");
            }
            checks.add(new SequenceCheck(
                    sequence,
                    expected == null ? "missing" : text(expected),
                    actual == null ? "missing" : text(actual),
                    verdict));
        }
        return checks;
    }

    private CountCheck largeObjects(Inventory source, Inventory target) {
        String content = content(source.largeObjectsDigest(), target.largeObjectsDigest());
        Verdict verdict = Verdict.MATCH;
        if (source.largeObjects() != target.largeObjects()) {
            verdict = mismatch("large objects: " + source.largeObjects() + " in the source, " + target.largeObjects()
                    + " on the target");
        } else if (content.equals(DIFFERS)) {
            verdict = mismatch("large objects: the same " + target.largeObjects()
                    + " in number, but their bytes, owners or grants differ from the source's");
        }
        return new CountCheck(source.largeObjects(), target.largeObjects(), content, verdict);
    }

    /**
     * Schema objects: each of the source's must be on the target with the same definition, or the restore lost or
     * changed it (a pg_restore error, a wrong option). A definition printed differently is the same when the
     * target, given the source's print, prints what it prints for the restored object ({@link #probes}); without the
     * source's print (an older manifest) only views and SQL-standard bodies are let pass across majors, with a
     * warning. One only on the target is a warning: nothing of the source is lost by it. Only the kinds the manifest
     * recorded are compared; a manifest without schema objects (older Ferry) compares none.
     */
    private CountCheck schemaObjects(Inventory source, Inventory target) {
        if (source.schemaObjects().isEmpty()) {
            return new CountCheck(0, target.schemaObjects().size(), NOT_COMPARED, Verdict.MATCH);
        }
        Set<String> recorded = Set.copyOf(source.recordedSchemaObjectKinds());
        Map<String, String> expected =
                byName(source.schemaObjects(), Inventory.SchemaObject::label, Inventory.SchemaObject::definitionMd5);
        Map<String, String> actual = byName(
                target.schemaObjects().stream()
                        .filter(o -> recorded.contains(o.kind()))
                        .toList(),
                Inventory.SchemaObject::label,
                Inventory.SchemaObject::definitionMd5);
        Set<String> deparsed = source.schemaObjects().stream()
                .filter(Inventory.SchemaObject::deparsed)
                .map(Inventory.SchemaObject::label)
                .collect(Collectors.toSet());
        int differing = 0;
        for (Map.Entry<String, String> object : expected.entrySet()) {
            String definition = actual.get(object.getKey());
            DefinitionProbes.Outcome probe = probes.get(object.getKey());
            if (definition == null) {
                mismatches.add(object.getKey() + ": missing on the target");
                differing++;
            } else if (definition.equals(object.getValue())) {
                continue;
            } else if (probe != null) {
                if (probe.same()) {
                    continue;
                }
                mismatches.add(object.getKey() + ": differs between the source and the target"
                        + (probe.failure() == null
                                ? ""
                                : " (the source's definition does not create on the target: " + probe.failure() + ")"));
                differing++;
            } else if (!sameMajorVersion && deparsed.contains(object.getKey())) {
                warnings.add(object.getKey() + ": its definition prints differently on the target's PostgreSQL major"
                        + " version than on the source's (the server deparses it); pg_restore recreated it from the"
                        + " dump, compare the two by hand if it matters");
            } else {
                mismatches.add(object.getKey() + ": differs between the source and the target");
                differing++;
            }
        }
        actual.keySet().stream()
                .filter(name -> !expected.containsKey(name))
                .forEach(name -> warnings.add(name + ": on the target but not in the source"));
        return new CountCheck(
                expected.size(),
                actual.size(),
                differing == 0 ? MATCHES : DIFFERS,
                differing == 0 ? Verdict.MATCH : Verdict.MISMATCH);
    }

    /**
     * Every role the source refers to must be on the target, log in if it logs in on the source, and be a
     * member of the same roles; grants are compared with the schema objects. A login role restore had no
     * password for is a warning: the operator has to give it one. A manifest without role facts (older
     * Ferry) compares none.
     */
    private void roles(Inventory source, Inventory target) {
        Map<String, Inventory.RoleFacts> actual = byName(target.roleFacts(), Inventory.RoleFacts::name, r -> r);
        for (Inventory.RoleFacts expected : source.roleFacts()) {
            Inventory.RoleFacts found = actual.get(expected.name());
            String role = "role " + expected.name();
            if (found == null) {
                mismatches.add(role + ": missing on the target (or no longer referred to by any object there)");
                continue;
            }
            if (loginRolesWithoutPassword.contains(expected.name())) {
                warnings.add(role + ": logs in on the source, but restore had no password for it, so it cannot log in"
                        + " on the target: dump as a superuser, or set FERRY_RESTORE_READONLY_USER and"
                        + " FERRY_RESTORE_READONLY_PASSWORD (the onyx-dbreadonly Secret), or ALTER ROLE it yourself");
            } else if (expected.login() != found.login()) {
                mismatches.add(role + ": " + (expected.login() ? "LOGIN" : "NOLOGIN") + " in the source, "
                        + (found.login() ? "LOGIN" : "NOLOGIN") + " on the target");
            }
            if (!new TreeSet<>(expected.memberOf()).equals(new TreeSet<>(found.memberOf()))) {
                mismatches.add(role + ": member of " + expected.memberOf() + " in the source, " + found.memberOf()
                        + " on the target");
            }
        }
    }

    private List<ExtensionCheck> extensions(Inventory source, Inventory target) {
        Map<String, String> sourceVersions =
                byName(source.extensions(), Inventory.Extension::name, Inventory.Extension::version);
        Map<String, String> targetVersions =
                byName(target.extensions(), Inventory.Extension::name, Inventory.Extension::version);
        List<ExtensionCheck> checks = new ArrayList<>();
        for (String extension : union(sourceVersions.keySet(), targetVersions.keySet())) {
            String expected = sourceVersions.get(extension);
            String actual = targetVersions.get(extension);
            Verdict verdict = Verdict.MATCH;
            if (actual == null) {
                verdict =
                        mismatch("extension " + extension + ": missing on the target (" + expected + " in the source)");
            } else if (expected == null) {
                verdict = tolerable("extension " + extension + ": " + actual + " on the target but not in the source");
            } else if (!expected.equals(actual)) {
                Optional<Integer> order = ExtensionVersions.compare(actual, expected);
                String difference =
                        "extension " + extension + ": " + expected + " in the source, " + actual + " on the target";
                verdict = order.isPresent() && order.get() > 0
                        ? tolerable(difference + " (newer)")
                        : mismatch(difference);
            }
            checks.add(new ExtensionCheck(extension, expected, actual, verdict));
        }
        return checks;
    }

    private List<AlembicCheck> alembic(Inventory source, Inventory target) {
        List<AlembicCheck> checks = new ArrayList<>();
        for (String schema : union(
                source.alembicVersions().keySet(), target.alembicVersions().keySet())) {
            List<String> expected = sorted(source.alembicVersions().get(schema));
            List<String> actual = sorted(target.alembicVersions().get(schema));
            Verdict verdict = expected != null && expected.equals(actual)
                    ? Verdict.MATCH
                    : mismatch("alembic_version in " + schema + ": " + (expected == null ? "none" : expected)
                            + " in the source, " + (actual == null ? "none" : actual) + " on the target");
            checks.add(new AlembicCheck(schema, expected, actual, verdict));
        }
        return checks;
    }

    private Verdict mismatch(String sentence) {
        mismatches.add(sentence);
        return Verdict.MISMATCH;
    }

    /** A difference that only strict mode fails on. */
    private Verdict tolerable(String sentence) {
        if (strictExtensions) {
            return mismatch(sentence);
        }
        warnings.add(sentence);
        return Verdict.WARNING;
    }

    private static <T, V> Map<String, V> byName(List<T> items, Function<T, String> name, Function<T, V> value) {
        // TreeMap and a merge that keeps the first: a name is unique in an inventory; sorted output reads better.
        return items.stream().collect(Collectors.toMap(name, value, (first, second) -> first, TreeMap::new));
    }

    private static TreeSet<String> union(java.util.Collection<String> a, java.util.Collection<String> b) {
        TreeSet<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private static List<String> sorted(List<String> values) {
        return values == null ? null : values.stream().sorted().toList();
    }

    private static String text(Optional<Long> lastValue) {
        return lastValue.map(String::valueOf).orElse("not called");
    }
}
