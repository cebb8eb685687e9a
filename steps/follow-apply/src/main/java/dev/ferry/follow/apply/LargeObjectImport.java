package dev.ferry.follow.apply;

import dev.ferry.core.StepFailure;
import dev.ferry.follow.bucket.FinalState;
import dev.ferry.follow.bucket.FollowObjects;
import dev.ferry.follow.bucket.SealedObjects;
import dev.ferry.follow.bucket.TargetLargeObjects;
import dev.ferry.pg.LargeObjectContents;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Apply's side of the large-object delta: before the marker it reports the target's large objects to the bucket, so
 * the drain carries only what differs; after the marker it removes the ones the source no longer holds and writes the
 * carried ones (each proven by its SHA-256, then by the md5 the final state names) in one target transaction.
 */
final class LargeObjectImport {

    private LargeObjectImport() {}

    static void report(Connection target, SealedObjects sealed) throws SQLException {
        TargetLargeObjects.write(
                sealed,
                LargeObjectContents.read(target).entrySet().stream()
                        .map(e -> new FinalState.LargeObjectState(
                                e.getKey(), e.getValue().owner(), e.getValue().md5()))
                        .toList());
    }

    /** Imports the delta the final state names; returns the objects written and removed. */
    static int apply(Connection target, SealedObjects sealed, FinalState expected) throws SQLException {
        if (expected.largeObjectsCarried().isEmpty()
                && expected.largeObjectsRemoved().isEmpty()) {
            return 0;
        }
        Map<Long, FinalState.LargeObjectState> byOid = expected.largeObjects().stream()
                .collect(Collectors.toMap(FinalState.LargeObjectState::oid, Function.identity()));
        target.setAutoCommit(false);
        try {
            for (long oid : expected.largeObjectsRemoved()) {
                LargeObjectContents.remove(target, oid);
            }
            for (long oid : expected.largeObjectsCarried()) {
                FinalState.LargeObjectState state = byOid.get(oid);
                byte[] bytes = sealed.get(FollowObjects.LARGE_OBJECTS + oid, "large object");
                if (state == null || !state.md5().equals(md5(bytes))) {
                    throw StepFailure.verificationFailed(
                            "large object " + oid + " in the bucket is not the one the"
                                    + " final state names: run the cutover's drain again (capture, started again, stores the final state anew)");
                }
                LargeObjectContents.write(target, oid, state.owner(), bytes);
            }
            target.commit();
        } catch (SQLException | RuntimeException e) {
            target.rollback();
            throw e;
        } finally {
            target.setAutoCommit(true);
        }
        return expected.largeObjectsCarried().size()
                + expected.largeObjectsRemoved().size();
    }

    private static String md5(byte[] bytes) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("MD5").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
