package dev.ferry.pg;

import dev.ferry.core.manifest.Inventory;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What scanning a table computes besides its exact row count, the same on whichever session reads it:
 * nothing (counts), the digest of every row, the digest of a fixed sample of rows, or both at once (the
 * source, so that the target may check either).
 *
 * @param full digest every row
 * @param sample digest the sample rows
 * @param chooseSampleKeys choose each table's sample key from its own catalog (the source); otherwise only the
 *     tables in {@code sampleKeys} are sampled, by the key given there (the target takes the source's)
 * @param sampleKeys the sample key of each table ({@code schema.name})
 * @param rowHash how rows are hashed into the digests
 */
public record TableScan(
        boolean full, boolean sample, boolean chooseSampleKeys, Map<String, List<String>> sampleKeys, RowHash rowHash) {

    /** Exact counts only. */
    public static final TableScan COUNTS = new TableScan(false, false, false, Map.of(), RowHash.HASH64X2);

    /** The digest of every row and of the sample, in one pass: what dump records of the source. */
    public static final TableScan FULL_AND_SAMPLE = new TableScan(true, true, true, Map.of(), RowHash.HASH64X2);

    public TableScan {
        sampleKeys = Map.copyOf(sampleKeys);
    }

    /** The digest of every row, hashed as the source's were: validate's {@code full}. */
    public static TableScan fullLike(Inventory source) {
        return new TableScan(true, false, false, Map.of(), RowHash.usedBy(source));
    }

    /**
     * Only the sample of each table, by the key the source chose for it and hashed as the source's were: validate's
     * {@code sample}. A sample taken by another rule (one in some other number of rows) is not one this build can
     * repeat: that table is counted only.
     */
    public static TableScan sampleLike(Inventory source) {
        return new TableScan(
                false,
                true,
                false,
                source.tables().stream()
                        .filter(t -> t.sample() != null && t.sample().oneIn() == ContentDigests.SAMPLE_ONE_IN)
                        .collect(java.util.stream.Collectors.toMap(
                                Inventory.TableRows::qualifiedName,
                                t -> t.sample().key())),
                RowHash.usedBy(source));
    }

    /** The same scan with rows hashed by {@code hash} (a test makes a source as an older dump did). */
    public TableScan hashingRowsBy(RowHash hash) {
        return new TableScan(full, sample, chooseSampleKeys, sampleKeys, hash);
    }

    boolean digests() {
        return full || sample;
    }

    /** The key to sample {@code schema.table} by, or none when this scan does not sample it. */
    Optional<List<String>> sampleKey(Connection session, String schema, String table) throws SQLException {
        if (!sample) {
            return Optional.empty();
        }
        return chooseSampleKeys
                ? Optional.of(ContentDigests.sampleKey(session, schema, table))
                : Optional.ofNullable(sampleKeys.get(schema + "." + table));
    }

    /** A table's exact rows and, when asked for, its content digest and its sample (null otherwise). */
    record Result(long rows, String digest, Inventory.Sample sample) {}
}
