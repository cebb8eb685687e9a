package dev.ferry.follow.capture;

import dev.ferry.core.manifest.Inventory;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.s3.S3Transfer;
import dev.ferry.s3.StoredManifest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.postgresql.replication.LogSequenceNumber;

/**
 * The exact rows of every table at the follow's snapshot: the inventory dump counted in the slot's exported snapshot
 * and stored in the migration's manifest, which the import's validate then proved on the target. With them and the
 * changes capture decoded since, the final state knows every table's rows without counting the frozen source.
 *
 * <p>Used only when the manifest is the follow's own: dump recorded this slot, and its consistent point is where the
 * follow's first segment starts. Otherwise the base copy is not one Ferry counted (or not this follow's), and the final
 * state counts every table.
 */
final class SnapshotRows {

    private static final Logger LOG = Logger.getLogger(SnapshotRows.class);

    private SnapshotRows() {}

    /**
     * The base copy's row counts by {@code schema.name}, or empty (said in one line) when the bucket holds no manifest
     * of this follow's base copy; {@code followStart} is where the first segment starts, when one is stored.
     */
    static Optional<Map<String, Long>> of(
            S3Transfer s3, String migrationId, String slot, Optional<LogSequenceNumber> followStart) {
        Optional<Manifest> stored = StoredManifest.find(s3, migrationId).map(StoredManifest::manifest);
        String not = stored.isEmpty()
                ? "the bucket holds no manifest of migration " + migrationId
                : notTheFollows(stored.get(), slot, followStart);
        if (not != null) {
            LOG.infof("phase=snapshot-rows source=none note=\"%s: the final state counts every table\"", not);
            return Optional.empty();
        }
        Map<String, Long> rows = new HashMap<>();
        for (Inventory.TableRows table : stored.get().inventory().tables()) {
            rows.put(table.qualifiedName(), table.rows());
        }
        LOG.infof("phase=snapshot-rows source=manifest migration=%s tables=%d", migrationId, rows.size());
        return Optional.of(rows);
    }

    /** Why {@code manifest} is not the base copy of this follow, or null when it is. */
    private static String notTheFollows(Manifest manifest, String slot, Optional<LogSequenceNumber> followStart) {
        Manifest.Follow follow =
                manifest.dump() == null ? null : manifest.dump().follow();
        if (follow == null || manifest.inventory() == null) {
            return "migration " + manifest.migrationId() + "'s base copy was not dumped from a follow's slot";
        }
        if (!slot.equals(follow.slot())) {
            return "migration " + manifest.migrationId() + "'s base copy was dumped from slot " + follow.slot()
                    + ", not " + slot;
        }
        LogSequenceNumber consistentPoint = LogSequenceNumber.valueOf(follow.consistentPoint());
        if (followStart.isPresent() && !followStart.get().equals(consistentPoint)) {
            return "migration " + manifest.migrationId() + "'s base copy was taken at " + consistentPoint.asString()
                    + " but the follow's first segment starts at "
                    + followStart.get().asString();
        }
        return null;
    }
}
