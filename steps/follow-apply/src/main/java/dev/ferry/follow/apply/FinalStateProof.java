package dev.ferry.follow.apply;

import dev.ferry.core.manifest.Inventory;
import dev.ferry.core.manifest.Inventory.SchemaObject;
import dev.ferry.follow.bucket.FinalState;
import dev.ferry.pg.CutoverSessions;
import dev.ferry.pg.DefinitionProbes;
import dev.ferry.pg.InventoryReader;
import dev.ferry.pg.KeyedRowDigests;
import dev.ferry.pg.LargeObjectContents;
import dev.ferry.pg.PgIdentifiers;
import dev.ferry.pg.SqlWork;
import dev.ferry.pg.TouchedRowDigests;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Proves, after apply ended at the drain marker, that the target looks exactly like the frozen source's final state:
 * every row the follow touched has the source's digest (or is absent where the source's is), a truncated table its
 * whole digest, every sequence its value, the schema objects their definitions (read again by the target where its
 * major prints them differently, as validate does) and {@code alembic_version} its revisions. The base copy was
 * proven against its snapshot; this proves what changed since, at a cost in proportion to the changes.
 *
 * <p>A table whose rows the source counted is counted here too. One whose rows the final state took from the base
 * copy's count and the changes since is not: its untouched rows are the base copy's, which the import's validate proved,
 * and apply, the target's only writer since, changed touched rows only, each proven here. Each difference is one line
 * naming table and key (or object).
 */
final class FinalStateProof {

    private FinalStateProof() {}

    /**
     * The differences, none when the target matches; {@code more} opens sessions of their own: for the touched rows'
     * digests, in the same snapshot, and for probes.
     */
    static List<String> differences(Connection target, FinalState expected, Supplier<Connection> more)
            throws SQLException {
        return CutoverSessions.inSnapshot(
                target,
                more,
                expected.touchedRows() > 0,
                sessions -> compare(sessions, expected, more, touchedOnTarget(sessions.catalog(), expected)));
    }

    /** The touched rows of each table the target holds (a missing table is a difference of its own). */
    private static List<TouchedRowDigests.Table> touchedOnTarget(Connection target, FinalState expected)
            throws SQLException {
        List<TouchedRowDigests.Table> touched = new ArrayList<>();
        try (PreparedStatement sql = target.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            for (FinalState.TableState table : expected.tables()) {
                if (table.touched().isEmpty()) {
                    continue;
                }
                sql.setString(1, PgIdentifiers.qualified(table.schema(), table.name()));
                try (ResultSet rs = sql.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        touched.add(new TouchedRowDigests.Table(
                                table.schema(),
                                table.name(),
                                table.keyColumns(),
                                table.touched().stream()
                                        .map(FinalState.TouchedRow::key)
                                        .toList()));
                    }
                }
            }
        }
        return touched;
    }

    /**
     * The touched rows digested and the large objects read on sessions of their own while the first session reads and
     * compares everything else.
     */
    private static List<String> compare(
            CutoverSessions sessions,
            FinalState expected,
            Supplier<Connection> probes,
            List<TouchedRowDigests.Table> touched)
            throws SQLException {
        Connection session = sessions.catalog();
        CompletableFuture<Map<String, Map<List<String>, String>>> digestsOf =
                TouchedRowDigests.start(sessions.digesting(), touched);
        CompletableFuture<Map<Long, LargeObjectContents.Facts>> largeObjectsOf =
                sessions.startOnLargeObjects(LargeObjectContents::read);
        Set<String> counted = expected.tables().stream()
                .filter(FinalState.TableState::counted)
                .map(FinalState.TableState::qualifiedName)
                .collect(Collectors.toSet());
        Inventory actual = InventoryReader.countingOnly(counted::contains).read(session);
        List<String> differences = new ArrayList<>();
        tables(session, expected, actual, SqlWork.await(digestsOf), differences);
        sequences(expected, actual, differences);
        if (!expected.alembicVersions().equals(actual.alembicVersions())) {
            differences.add("alembic_version is " + new TreeMap<>(actual.alembicVersions()) + " on the target, "
                    + new TreeMap<>(expected.alembicVersions()) + " on the source");
        }
        schema(expected, actual, probes, differences);
        largeObjects(SqlWork.await(largeObjectsOf), expected, differences);
        return differences;
    }

    private static void tables(
            Connection target,
            FinalState expected,
            Inventory actual,
            Map<String, Map<List<String>, String>> touchedDigests,
            List<String> differences)
            throws SQLException {
        Map<String, Inventory.TableRows> present =
                actual.tables().stream().collect(Collectors.toMap(Inventory.TableRows::qualifiedName, t -> t));
        for (FinalState.TableState table : expected.tables()) {
            Inventory.TableRows found = present.remove(table.qualifiedName());
            if (found == null) {
                differences.add("table " + table.qualifiedName() + " is missing on the target");
                continue;
            }
            if (table.counted() && found.rows() != table.rows()) {
                differences.add("table " + table.qualifiedName() + " has " + found.rows() + " rows on the target, "
                        + table.rows() + " on the source");
            }
            if (table.digest() != null) {
                String digest = KeyedRowDigests.table(target, table.schema(), table.name());
                if (!table.digest().equals(digest)) {
                    differences.add("table " + table.qualifiedName() + " (truncated during the follow) holds other"
                            + " rows on the target than on the source");
                }
            }
            if (table.touched().isEmpty()) {
                continue;
            }
            Map<List<String>, String> digests = touchedDigests.get(table.qualifiedName());
            for (FinalState.TouchedRow row : table.touched()) {
                String onTarget = digests.get(row.key());
                if (Objects.equals(onTarget, row.digest())) {
                    continue;
                }
                String key = "table " + table.qualifiedName() + " key (" + String.join(", ", table.keyColumns()) + ")=("
                        + String.join(", ", row.key()) + ")";
                differences.add(
                        row.digest() == null
                                ? key + " is on the target but was deleted on the source"
                                : onTarget == null
                                        ? key + " is missing on the target"
                                        : key + " differs between the target and the source");
            }
        }
        present.keySet().stream().sorted().forEach(name -> differences.add("table " + name + " is on the target only"));
    }

    private static void sequences(FinalState expected, Inventory actual, List<String> differences) {
        Map<String, Long> values = new TreeMap<>();
        actual.sequences().forEach(s -> values.put(s.qualifiedName(), s.lastValue()));
        for (Inventory.SequenceValue sequence : expected.sequences()) {
            if (!values.containsKey(sequence.qualifiedName())) {
                differences.add("sequence " + sequence.qualifiedName() + " is missing on the target");
            } else if (!Objects.equals(values.get(sequence.qualifiedName()), sequence.lastValue())) {
                differences.add(
                        "sequence " + sequence.qualifiedName() + " is at " + values.get(sequence.qualifiedName())
                                + " on the target, " + sequence.lastValue() + " on the source");
            }
        }
    }

    /** Every large object by the md5 of its bytes (owners, like the tables', are the base copy's validation's). */
    private static void largeObjects(
            Map<Long, LargeObjectContents.Facts> read, FinalState expected, List<String> differences) {
        Map<Long, LargeObjectContents.Facts> onTarget = new TreeMap<>(read);
        for (FinalState.LargeObjectState object : expected.largeObjects()) {
            LargeObjectContents.Facts found = onTarget.remove(object.oid());
            if (found == null) {
                differences.add("large object " + object.oid() + " is missing on the target");
            } else if (!found.md5().equals(object.md5())) {
                differences.add("large object " + object.oid() + " holds other bytes on the target");
            }
        }
        onTarget.keySet().forEach(oid -> differences.add("large object " + oid + " is on the target only"));
    }

    /**
     * Equal fingerprints prove the schema at once; otherwise each object by label, and a definition the target
     * printed differently is read again by the target ({@link DefinitionProbes}), as validate does across majors.
     */
    private static void schema(
            FinalState expected, Inventory actual, Supplier<Connection> probes, List<String> differences)
            throws SQLException {
        if (expected.schemaFingerprint().equals(FinalState.fingerprint(actual.schemaObjects()))) {
            return;
        }
        Map<String, SchemaObject> onTarget = new TreeMap<>();
        FinalState.provenObjects(actual.schemaObjects()).forEach(o -> onTarget.put(o.label(), o));
        List<SchemaObject> reprinted = new ArrayList<>();
        for (SchemaObject object : FinalState.provenObjects(expected.schemaObjects())) {
            SchemaObject found = onTarget.remove(object.label());
            if (found == null) {
                differences.add(object.label() + " is missing on the target");
            } else if (!found.definitionMd5().equals(object.definitionMd5())) {
                if (object.reprintable() && object.definition() != null) {
                    reprinted.add(object);
                } else {
                    differences.add(object.label() + " is defined differently on the target");
                }
            }
        }
        onTarget.keySet().forEach(label -> differences.add(label + " is on the target only"));
        if (!reprinted.isEmpty()) {
            Map<String, SchemaObject> targets =
                    actual.schemaObjects().stream().collect(Collectors.toMap(SchemaObject::label, o -> o, (a, b) -> a));
            try (Connection session = probes.get()) {
                DefinitionProbes.probe(session, reprinted, targets).values().stream()
                        .filter(outcome -> !outcome.same())
                        .forEach(outcome -> differences.add(outcome.label() + " is defined differently on the target"
                                + (outcome.failure() == null ? "" : " (" + outcome.failure() + ")")));
            }
        }
    }
}
