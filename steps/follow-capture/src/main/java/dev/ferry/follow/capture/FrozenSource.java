package dev.ferry.follow.capture;

import dev.ferry.core.manifest.Inventory;
import dev.ferry.follow.TouchedKeys;
import dev.ferry.follow.bucket.FinalState;
import dev.ferry.follow.bucket.SealedObjects;
import dev.ferry.pg.CutoverSessions;
import dev.ferry.pg.InventoryReader;
import dev.ferry.pg.KeyedRowDigests;
import dev.ferry.pg.SqlWork;
import dev.ferry.pg.TouchedRowDigests;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Reads what the frozen, drained source looks like, in one snapshot: the exact rows of every table (from the base copy's
 * count and the changes since, or counted), the digest of every row the follow touched (or that it is gone), a
 * truncated table's whole digest, the sequences, the schema objects and {@code alembic_version}. Digests are the ones
 * validate makes, so they compare across majors.
 */
final class FrozenSource {

    private static final Logger LOG = Logger.getLogger(FrozenSource.class);

    private FrozenSource() {}

    /**
     * The drain this state ends: the follow, its marker's label and segment, the keys its segments touched (and the
     * rows each table gained), the exact rows of each table at the snapshot ({@code schema.name}; empty when
     * unknown), and whether to count every table all the same.
     */
    record Drain(
            String migrationId,
            String marker,
            String markerSegment,
            TouchedKeys touched,
            Map<String, Long> rowsAtSnapshot,
            boolean countEvery) {

        /** Whether the final state counts {@code table} ({@code schema.name}) rather than derive its rows. */
        boolean counts(String table) {
            return countEvery || !rowsAtSnapshot.containsKey(table);
        }
    }

    /**
     * The final state of {@code drain}, read in one snapshot; the large objects the target lacks or holds otherwise
     * are carried to the bucket meanwhile ({@link LargeObjectCarrier}).
     */
    static FinalState read(Connection source, Supplier<Connection> more, Drain drain, SealedObjects sealed)
            throws SQLException {
        return CutoverSessions.inSnapshot(
                source, more, !drain.touched().tables().isEmpty(), sessions -> readInSnapshot(sessions, drain, sealed));
    }

    /**
     * The touched rows' digests and the large objects on sessions of their own while the first session reads the
     * inventory.
     */
    private static FinalState readInSnapshot(CutoverSessions sessions, Drain drain, SealedObjects sealed)
            throws SQLException {
        Connection source = sessions.catalog();
        TouchedKeys touched = drain.touched();
        long started = System.nanoTime();
        CompletableFuture<Map<String, Map<List<String>, String>>> digestsOf = TouchedRowDigests.start(
                sessions.digesting(),
                touched.tables().stream()
                        .map(t -> new TouchedRowDigests.Table(t.schema(), t.table(), t.keyColumns(), t.keys()))
                        .toList());
        // With none on the source, there may still be ones the target must remove: it runs all the same.
        CompletableFuture<LargeObjectCarrier.Delta> carrying =
                sessions.startOnLargeObjects(session -> LargeObjectCarrier.carry(session, sealed));
        Inventory inventory = InventoryReader.countingOnly(drain::counts).read(source);
        long inventoried = System.nanoTime();
        LargeObjectCarrier.Delta largeObjects = SqlWork.await(carrying);
        Map<String, Map<List<String>, String>> touchedDigests = SqlWork.await(digestsOf);
        Map<String, TouchedKeys.Table> byName = touched.tables().stream()
                .collect(Collectors.toMap(TouchedKeys.Table::qualifiedName, Function.identity()));
        List<FinalState.TableState> tables = new ArrayList<>();
        for (Inventory.TableRows table : inventory.tables()) {
            TouchedKeys.Table changed = byName.get(table.qualifiedName());
            Long rowsAtSnapshot = drain.rowsAtSnapshot().get(table.qualifiedName());
            Long fromChanges = rowsAtSnapshot == null
                    ? null
                    : changed == null ? rowsAtSnapshot : changed.rowsGiven(rowsAtSnapshot);
            if (drain.countEvery() && fromChanges != null && fromChanges != table.rows()) {
                // The proof holds the target to the count; this says where the changes and the count part.
                LOG.warnf(
                        "phase=final-state-rows table=%s counted=%d from_changes=%d note=\"the base copy's rows and"
                                + " the changes decoded since do not add up to the frozen source's count\"",
                        table.qualifiedName(), table.rows(), fromChanges);
            }
            boolean counted = table.rows() != Inventory.TableRows.NOT_COUNTED;
            long rows = counted ? table.rows() : fromChanges;
            String rowsFrom = counted ? FinalState.ROWS_COUNTED : FinalState.ROWS_FROM_CHANGES;
            if (changed == null) {
                tables.add(new FinalState.TableState(
                        table.schema(), table.name(), rows, rowsFrom, List.of(), List.of(), null));
                continue;
            }
            Map<List<String>, String> digests = touchedDigests.get(table.qualifiedName());
            List<FinalState.TouchedRow> touchedRows = changed.keys().stream()
                    .map(key -> new FinalState.TouchedRow(key, digests.get(key)))
                    .toList();
            tables.add(new FinalState.TableState(
                    table.schema(),
                    table.name(),
                    rows,
                    rowsFrom,
                    changed.keyColumns(),
                    touchedRows,
                    changed.truncated() ? KeyedRowDigests.table(source, table.schema(), table.name()) : null));
        }
        // What the outage waits for on the source, at once: the catalog in proportion to the tables (and the rows of
        // those the base copy did not count), the large objects to their bytes, the digests to the rows touched.
        LOG.infof(
                "phase=final-state-read inventory_seconds=%.2f large_objects_seconds=%.2f waited_seconds=%.2f"
                        + " digest_sessions=%d large_object_session=%s",
                (inventoried - started) / 1e9,
                largeObjects.seconds(),
                (System.nanoTime() - inventoried) / 1e9,
                sessions.digesting().size(),
                sessions.largeObjects().isPresent());
        return new FinalState(
                FinalState.FORMAT,
                drain.migrationId(),
                drain.marker(),
                drain.markerSegment(),
                Instant.now(),
                source.getMetaData().getDatabaseProductVersion(),
                tables,
                inventory.sequences(),
                inventory.alembicVersions(),
                FinalState.fingerprint(inventory.schemaObjects()),
                inventory.schemaObjects(),
                largeObjects.source(),
                largeObjects.carried(),
                largeObjects.removed());
    }
}
