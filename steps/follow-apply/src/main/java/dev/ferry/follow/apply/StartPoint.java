package dev.ferry.follow.apply;

import dev.ferry.core.StepFailure;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.s3.S3Transfer;
import dev.ferry.s3.StoredManifest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.postgresql.replication.LogSequenceNumber;

/**
 * Where apply starts: FERRY_FOLLOW_APPLY_START_LSN when given; else where the replication origin says it stopped;
 * else the consistent point of the follow's slot, which the migration's manifest in the bucket records (the base copy
 * restored on the target was dumped in that slot's snapshot), so nobody has to copy an LSN by hand. Empty only when
 * the bucket holds no manifest for the migration: apply then starts where the first segment does.
 */
final class StartPoint {

    private static final Logger LOG = Logger.getLogger(StartPoint.class);

    private StartPoint() {}

    static Optional<LogSequenceNumber> resolve(
            Optional<LogSequenceNumber> setting, Connection target, String origin, S3Transfer store, String migrationId)
            throws SQLException {
        if (setting.isPresent()) {
            LOG.infof(
                    "phase=start from=%s source=FERRY_FOLLOW_APPLY_START_LSN",
                    setting.get().asString());
            return setting;
        }
        Optional<LogSequenceNumber> recorded = recorded(target, origin);
        if (recorded.isPresent()) {
            LOG.infof(
                    "phase=start from=%s source=origin origin=%s",
                    recorded.get().asString(), origin);
            return recorded;
        }
        Optional<StoredManifest> stored = StoredManifest.find(store, migrationId);
        if (stored.isEmpty()) {
            LOG.infof(
                    "phase=start source=first-segment note=\"no manifest for migration %s in the bucket: starting"
                            + " where the first segment does\"",
                    migrationId);
            return Optional.empty();
        }
        Manifest.Follow follow = stored.get().manifest().dump().follow();
        if (follow == null) {
            throw StepFailure.refused("migration " + migrationId + "'s manifest records no follow: its base copy was"
                    + " not dumped from a follow's slot, so no change after it can be placed; dump the base copy again"
                    + " with FERRY_DUMP_FOLLOW=true, or set FERRY_FOLLOW_APPLY_START_LSN to where it was taken");
        }
        LogSequenceNumber start = LogSequenceNumber.valueOf(follow.consistentPoint());
        LOG.infof(
                "phase=start from=%s source=manifest slot=%s snapshot=%s",
                start.asString(), follow.slot(), follow.snapshot());
        return Optional.of(start);
    }

    /** What the origin recorded as applied, when it exists and recorded anything. */
    private static Optional<LogSequenceNumber> recorded(Connection target, String origin) throws SQLException {
        try (PreparedStatement sql = target.prepareStatement(
                "SELECT pg_replication_origin_progress(roname, true)::text FROM pg_replication_origin WHERE roname = ?")) {
            sql.setString(1, origin);
            try (ResultSet rs = sql.executeQuery()) {
                if (rs.next() && rs.getString(1) != null) {
                    LogSequenceNumber lsn = LogSequenceNumber.valueOf(rs.getString(1));
                    return lsn.asLong() == 0 ? Optional.empty() : Optional.of(lsn);
                }
                return Optional.empty();
            }
        }
    }
}
