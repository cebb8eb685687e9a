package dev.ferry.dump;

import dev.ferry.core.StepFailure;
import dev.ferry.core.manifest.Manifest;
import org.jboss.logging.Logger;

/**
 * What rows written to the source after the dump's snapshot mean. After a freeze they are writes the new
 * cluster would never get: a writer the freeze missed, so the dump is refused (exit 4) and not marked
 * complete. Without a freeze (a rehearsal against a live Onyx) they are expected, and a warning. In follow mode the
 * slot holds them from the snapshot on and capture carries them: expected, and logged as such.
 */
final class WritesAfterSnapshot {

    private static final Logger LOG = Logger.getLogger(WritesAfterSnapshot.class);

    private WritesAfterSnapshot() {}

    static void judge(Manifest.Snapshot snapshot, boolean afterFreeze, boolean following) {
        long rows = snapshot.rowsWrittenAfter();
        if (rows == 0) {
            LOG.infof("phase=snapshot writes_after=0 outcome=ok");
            return;
        }
        if (following) {
            LOG.infof(
                    "phase=snapshot writes_after=%d tables=\"%s\" outcome=carried_by_follow"
                            + " note=\"the slot holds every change after the snapshot; follow-capture carries them\"",
                    rows, snapshot.describeWrites());
            return;
        }
        if (afterFreeze) {
            throw StepFailure.verificationFailed(rows + " rows were written to the source after the dump's snapshot, "
                    + "although freeze had stopped the writers, in " + snapshot.describeWrites()
                    + ": something the freeze missed still writes, and those rows would be lost; stop it (or add it "
                    + "to FERRY_FREEZE_WORKLOADS) and dump again");
        }
        LOG.warnf(
                "phase=snapshot writes_after=%d tables=\"%s\" note=\"not in this dump: no freeze ran, as in a rehearsal\"",
                rows, snapshot.describeWrites());
    }
}
