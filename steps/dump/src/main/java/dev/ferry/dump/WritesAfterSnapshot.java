package dev.ferry.dump;

import dev.ferry.core.StepFailure;
import dev.ferry.core.manifest.Manifest;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * What rows written to the source after the dump's snapshot mean. After a freeze they are writes the new
 * cluster would never get: a writer the freeze missed, so the dump is refused (exit 4) and not marked
 * complete. Without a freeze (a rehearsal against a live Onyx) they are expected, and a warning.
 */
final class WritesAfterSnapshot {

    private static final Logger LOG = Logger.getLogger(WritesAfterSnapshot.class);
    private static final int TABLES_NAMED = 5;

    private WritesAfterSnapshot() {}

    static void judge(Manifest.Snapshot snapshot, boolean afterFreeze) {
        long rows = snapshot.rowsWrittenAfter();
        if (rows == 0) {
            LOG.infof("phase=snapshot writes_after=0 outcome=ok");
            return;
        }
        String tables = snapshot.writesAfter().stream()
                .limit(TABLES_NAMED)
                .map(t -> t.qualifiedName() + " (" + t.rows() + ")")
                .collect(Collectors.joining(", "));
        String more = snapshot.writesAfter().size() > TABLES_NAMED
                ? " and " + (snapshot.writesAfter().size() - TABLES_NAMED) + " more tables"
                : "";
        if (afterFreeze) {
            throw StepFailure.verificationFailed(rows + " rows were written to the source after the dump's snapshot, "
                    + "although freeze had stopped the writers, in " + tables + more
                    + ": something the freeze missed still writes, and those rows would be lost; stop it (or add it "
                    + "to FERRY_FREEZE_WORKLOADS) and dump again");
        }
        LOG.warnf(
                "phase=snapshot writes_after=%d tables=\"%s%s\" note=\"not in this dump: no freeze ran, as in a rehearsal\"",
                rows, tables, more);
    }
}
