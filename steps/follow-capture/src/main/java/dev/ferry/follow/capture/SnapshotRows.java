package dev.ferry.follow.capture;

import dev.ferry.core.manifest.Inventory;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.s3.S3Transfer;
import dev.ferry.s3.StoredManifest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.postgresql.replication.LogSequenceNumber;

/**
 * The exact rows of every table at the follow's snapshot: the inventory dump counted in the slot's exported snapshot
 * and stored in the migration's manifest, which the import's validate then proved on the target. With them and the
 * changes capture decoded since, the final state knows every table's rows without counting the frozen source.
 *
 * <p>Used only when the manifest is the follow's own: dump recorded this slot, and its consistent point is where the
 * follow's first segment starts. Otherwise the base copy is not one Ferry counted (or not this follow's), and the final
 * state counts every table. The base copy's upload runs beside capture, so the manifest is looked for until it is
 * there, outside the outage: at the start and with every heartbeat.
 */
final class SnapshotRows {

    private static final Logger LOG = Logger.getLogger(SnapshotRows.class);

    private final S3Transfer s3;
    private final String migrationId;
    private final String slot;
    private final Supplier<LogSequenceNumber> followStart;
    private volatile Map<String, Long> rows;
    private volatile String notUsable;

    /** {@code followStart}: where the follow's first segment starts (or will, while none is stored). */
    SnapshotRows(S3Transfer s3, String migrationId, String slot, Supplier<LogSequenceNumber> followStart) {
        this.s3 = s3;
        this.migrationId = migrationId;
        this.slot = slot;
        this.followStart = followStart;
    }

    /** Looks for the manifest once more, unless it was found or judged already; never throws. */
    void lookUp() {
        if (rows != null || notUsable != null) {
            return;
        }
        try {
            Optional<StoredManifest> stored = StoredManifest.find(s3, migrationId);
            if (stored.isEmpty()) {
                return;
            }
            String not = notTheFollows(stored.get().manifest());
            if (not != null) {
                notUsable = not;
                return;
            }
            Map<String, Long> counted = new HashMap<>();
            for (Inventory.TableRows table : stored.get().manifest().inventory().tables()) {
                counted.put(table.qualifiedName(), table.rows());
            }
            rows = Map.copyOf(counted);
            LOG.infof("phase=snapshot-rows source=manifest migration=%s tables=%d", migrationId, rows.size());
        } catch (RuntimeException unreadable) {
            notUsable =
                    "the manifest of migration " + migrationId + " could not be read (" + unreadable.getMessage() + ")";
        }
    }

    /**
     * The base copy's row counts by {@code schema.name} for the final state, after one last look; empty (said in one
     * line) when there are none to use: the final state then counts every table.
     */
    Map<String, Long> forFinalState() {
        lookUp();
        if (rows != null) {
            return rows;
        }
        LOG.infof(
                "phase=snapshot-rows source=none note=\"%s: the final state counts every table\"",
                notUsable != null ? notUsable : "the bucket holds no manifest of migration " + migrationId);
        return Map.of();
    }

    /** Why {@code manifest} is not the base copy of this follow, or null when it is. */
    private String notTheFollows(Manifest manifest) {
        Manifest.Follow follow =
                manifest.dump() == null ? null : manifest.dump().follow();
        if (follow == null || manifest.inventory() == null) {
            return "migration " + migrationId + "'s base copy was not dumped from a follow's slot";
        }
        if (!slot.equals(follow.slot())) {
            return "migration " + migrationId + "'s base copy was dumped from slot " + follow.slot() + ", not " + slot;
        }
        LogSequenceNumber consistentPoint = LogSequenceNumber.valueOf(follow.consistentPoint());
        LogSequenceNumber start = followStart.get();
        if (!start.equals(consistentPoint)) {
            return "migration " + migrationId + "'s base copy was taken at " + consistentPoint.asString()
                    + " but the follow's first segment starts at " + start.asString();
        }
        return null;
    }
}
