package dev.ferry.pg;

import dev.ferry.core.manifest.Inventory;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * How a row's text form becomes the numbers a table's content digest adds up ({@link ContentDigests}). Source and
 * target must hash the same way, so a digest says by its form which way made it, and validate repeats that way.
 */
public enum RowHash {

    /**
     * The md5 of the row's text, its two 64-bit halves summed: what dumps recorded before 2026-12-02. Its digests are
     * 32 hex digits. md5 costs as much as printing the row does, twice the time of {@link #HASH64X2}.
     */
    MD5("") {
        @Override
        String rowValue(String rowText) {
            return "md5(" + rowText + ")";
        }

        @Override
        String sums(String filter) {
            return "md5(coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric)" + filter + ", 0)"
                    + " || ':' || coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric)" + filter
                    + ", 0))";
        }
    },

    /**
     * Two 64-bit hashes of the row's text by PostgreSQL's own {@code hashtextextended} (seeds 0 and 1), each summed
     * exactly (in 128-bit integers): 128 bits a row, order-independent as before. {@code hashtextextended} is what
     * hash partitioning stores rows by, so it gives the same value from PostgreSQL 11 on (pg_upgrade keeps hash
     * partitions without moving a row). Not a cryptographic hash: the digests prove a restore is whole and unchanged,
     * not that nobody forged it (the bucket's own integrity and the encryption's authentication do that). Digests
     * start with {@code h64x2:}.
     */
    HASH64X2("h64x2:") {
        @Override
        String rowValue(String rowText) {
            return rowText;
        }

        @Override
        String sums(String filter) {
            return "'" + prefix() + "' || md5(coalesce(sum(hashtextextended(h, 0))" + filter + ", 0)"
                    + " || ':' || coalesce(sum(hashtextextended(h, 1))" + filter + ", 0))";
        }
    };

    private final String prefix;

    RowHash(String prefix) {
        this.prefix = prefix;
    }

    String prefix() {
        return prefix;
    }

    /** What a row contributes, as {@code h}, from its text form {@code rowText}. */
    abstract String rowValue(String rowText);

    /** The digest of the rows' {@code h}, over the rows {@code filter} keeps ({@code ""}: all). */
    abstract String sums(String filter);

    /** The way {@code digest} was made. */
    static RowHash of(String digest) {
        return digest.startsWith(HASH64X2.prefix) ? HASH64X2 : MD5;
    }

    /** The way the source's digests were made, for the target's to be made the same way; the current one when none. */
    public static RowHash usedBy(Inventory source) {
        return source.tables().stream()
                .flatMap(t -> Stream.of(
                        t.contentDigest(),
                        t.sample() == null ? null : t.sample().digest()))
                .filter(Objects::nonNull)
                .findFirst()
                .map(RowHash::of)
                .orElse(HASH64X2);
    }
}
