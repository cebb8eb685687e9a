package dev.ferry.pg;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The sessions a follow's cutover reads one database on, all in one snapshot, so that what they read adds up to one
 * moment while their work overlaps inside the outage: the first reads the catalog; {@link TouchedRowDigests#SESSIONS}
 * more digest the touched rows, when there are any; one more reads the large objects, when there are any (the md5 of
 * every one grows with their bytes, and must not wait behind the catalog).
 *
 * @param catalog the session the snapshot was taken on
 * @param digesting the sessions for the touched rows' digests, none when no row was touched
 * @param largeObjects the session for the large objects, none when the database holds none
 */
public record CutoverSessions(Connection catalog, List<Connection> digesting, Optional<Connection> largeObjects) {

    /** Work done on the sessions inside {@link #inSnapshot}. */
    public interface Work<T> {
        T run(CutoverSessions sessions) throws SQLException;
    }

    /**
     * Starts {@code work} on the large objects' session, to be awaited with {@link SqlWork#await}; with none (the
     * database holds no large object, so it reads nothing) runs it here on the catalog session, before anything else
     * uses that one.
     */
    public <T> CompletableFuture<T> startOnLargeObjects(KeyedRowDigests.SnapshotWork<T> work) throws SQLException {
        if (largeObjects.isEmpty()) {
            return CompletableFuture.completedFuture(work.run(catalog));
        }
        Connection session = largeObjects.get();
        return SqlWork.start("ferry-large-objects", () -> work.run(session));
    }

    /**
     * Runs {@code work} on {@code session} in a read-only repeatable-read transaction and on the further sessions
     * {@code more} opens into its snapshot; {@code touchedRows}: whether there are rows to digest.
     */
    public static <T> T inSnapshot(Connection session, Supplier<Connection> more, boolean touchedRows, Work<T> work)
            throws SQLException {
        return KeyedRowDigests.inSnapshot(session, catalog -> {
            int digesting = touchedRows ? TouchedRowDigests.SESSIONS : 0;
            int carrying = LargeObjectContents.any(catalog) ? 1 : 0;
            if (digesting + carrying == 0) {
                return work.run(new CutoverSessions(catalog, List.of(), Optional.empty()));
            }
            try (SharedSnapshot shared = SharedSnapshot.join(catalog, more, digesting + carrying)) {
                List<Connection> sessions = shared.sessions();
                return work.run(new CutoverSessions(
                        catalog,
                        sessions.subList(0, digesting),
                        carrying == 1 ? Optional.of(sessions.get(digesting)) : Optional.empty()));
            }
        });
    }
}
