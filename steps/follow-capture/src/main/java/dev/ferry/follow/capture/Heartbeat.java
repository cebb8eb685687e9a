package dev.ferry.follow.capture;

import dev.ferry.follow.Capture;
import dev.ferry.follow.Segment;
import dev.ferry.follow.bucket.ApplyProgress;
import dev.ferry.follow.bucket.CaptureHeartbeat;
import dev.ferry.follow.bucket.FollowObjects;
import dev.ferry.follow.bucket.FollowStatus;
import dev.ferry.pg.PgConnector;
import dev.ferry.s3.S3Transfer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.postgresql.replication.LogSequenceNumber;

/**
 * Capture's heartbeat: how far the slot is confirmed, how far the source's WAL is ahead of it, and what apply last
 * reported, written to {@code follow/capture-heartbeat.json} and logged as one line. A heartbeat that cannot be
 * written is a warning, never the end of the follow: the segments are what matter.
 */
final class Heartbeat implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Heartbeat.class);

    private final PgConnector connector;
    private final S3Transfer store;
    private final FollowObjects objects;
    private final String slot;
    private volatile Capture capture;
    private Connection source;

    Heartbeat(PgConnector connector, S3Transfer store, FollowObjects objects, String slot) {
        this.connector = connector;
        this.store = store;
        this.objects = objects;
        this.slot = slot;
    }

    void follow(Capture running) {
        this.capture = running;
    }

    synchronized void beat(CaptureHeartbeat.State state, String marker) {
        Capture followed = capture;
        if (followed == null) {
            return;
        }
        try {
            Optional<CaptureHeartbeat> written =
                    FollowStatus.read(store, objects.heartbeatKey(), CaptureHeartbeat.class);
            if (written.isPresent() && written.get().state().ended()) {
                // follow-abandon ended the follow; a capture on its way out must not make it look alive again.
                LOG.warnf(
                        "phase=heartbeat warning=\"not written: the follow was ended on the old cluster (heartbeat %s)\"",
                        written.get().state());
                return;
            }
            LogSequenceNumber stored = followed.storedUpTo();
            String wal = currentWal();
            long lag = Math.max(0, LogSequenceNumber.valueOf(wal).asLong() - stored.asLong());
            int segments = followed.storedSegments();
            FollowStatus.write(
                    store,
                    objects.heartbeatKey(),
                    new CaptureHeartbeat(
                            CaptureHeartbeat.FORMAT,
                            slot,
                            Instant.now(),
                            state,
                            stored.asString(),
                            wal,
                            lag,
                            segments,
                            segments > 0 ? Segment.nameFor(stored) : null,
                            marker));
            Optional<ApplyProgress> apply = FollowStatus.read(store, objects.applyProgressKey(), ApplyProgress.class);
            LOG.infof(
                    "phase=heartbeat state=%s stored_up_to=%s source_wal=%s lag_bytes=%d segments=%d %s",
                    state.name().toLowerCase(java.util.Locale.ROOT),
                    stored.asString(),
                    wal,
                    lag,
                    segments,
                    apply.map(p -> "apply_state=" + p.state().name().toLowerCase(java.util.Locale.ROOT)
                                    + " applied_up_to=" + p.appliedUpTo() + " apply_behind_bytes="
                                    + Math.max(
                                            0,
                                            stored.asLong()
                                                    - LogSequenceNumber.valueOf(p.appliedUpTo())
                                                            .asLong())
                                    + " apply_pending_segments=" + p.pendingSegments())
                            .orElse("apply=not-reporting"));
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("phase=heartbeat warning=\"heartbeat not written: %s\"", e.getMessage());
            closeSource();
        }
    }

    private String currentWal() throws SQLException {
        if (source == null) {
            source = connector.open();
        }
        try (Statement sql = source.createStatement();
                ResultSet rs = sql.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private void closeSource() {
        if (source != null) {
            try {
                source.close();
            } catch (SQLException ignored) {
                // a connection that failed is being dropped anyway
            }
            source = null;
        }
    }

    @Override
    public synchronized void close() {
        closeSource();
    }
}
