package dev.ferry.follow.preflight;

import dev.ferry.core.ByteSizes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The server-wide prerequisites of logical decoding: {@code wal_level}, a free replication slot and WAL sender,
 * a cap on the WAL a lagging slot may pin, and (when the volume's size is known) room for that WAL.
 */
final class ServerSettings {

    static final String WAL_LEVEL = "wal_level";
    static final String REPLICATION_SLOTS = "replication_slots";
    static final String WAL_SENDERS = "wal_senders";
    static final String WAL_CAP = "wal_cap";
    static final String FREE_SPACE = "free_space";

    private ServerSettings() {}

    static List<Finding> check(Connection connection, OptionalLong volumeBytes, String volumeSetting)
            throws SQLException {
        List<Finding> findings = new ArrayList<>();
        findings.add(walLevel(connection));
        findings.addAll(replicationSlots(connection));
        findings.add(walSenders(connection));
        OptionalLong cap = walCap(connection);
        findings.add(walCapFinding(cap));
        findings.add(freeSpace(connection, cap, volumeBytes, volumeSetting));
        return findings;
    }

    private static Finding walLevel(Connection connection) throws SQLException {
        String level = CatalogReads.text(connection, "SELECT current_setting('wal_level')");
        if ("logical".equals(level)) {
            return Finding.ok(WAL_LEVEL, "wal_level is logical");
        }
        return Finding.refused(
                WAL_LEVEL,
                "wal_level is " + level + ", logical decoding needs logical: set wal_level=logical and restart"
                        + " PostgreSQL ahead of the window (ALTER SYSTEM SET wal_level = logical; CloudNativePG has it"
                        + " by default, the Bitnami chart takes POSTGRESQL_WAL_LEVEL=logical, postgres:15.2-alpine"
                        + " takes -c wal_level=logical)");
    }

    private static List<Finding> replicationSlots(Connection connection) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        long max = CatalogReads.number(connection, "SELECT current_setting('max_replication_slots')::bigint");
        long used = CatalogReads.number(connection, "SELECT count(*) FROM pg_replication_slots");
        if (used >= max) {
            findings.add(Finding.refused(
                    REPLICATION_SLOTS,
                    "all " + max + " replication slots are taken (max_replication_slots=" + max + ", " + used
                            + " in pg_replication_slots): raise max_replication_slots (a restart) or drop a slot"
                            + " nobody uses (SELECT pg_drop_replication_slot('<name>'))"));
        } else {
            findings.add(Finding.ok(
                    REPLICATION_SLOTS,
                    (max - used) + " of " + max + " replication slots free (max_replication_slots)"));
        }
        // An inactive slot keeps its WAL for ever (up to the cap): worth knowing before adding one more.
        try (PreparedStatement sql = connection.prepareStatement("""
                        SELECT slot_name, slot_type,
                               coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::bigint
                        FROM pg_replication_slots WHERE NOT active ORDER BY slot_name""");
                ResultSet rs = sql.executeQuery()) {
            while (rs.next()) {
                findings.add(Finding.warning(
                        REPLICATION_SLOTS,
                        "the " + rs.getString(2) + " slot \"" + rs.getString(1) + "\" is inactive and holds "
                                + ByteSizes.human(rs.getLong(3)) + " of WAL: drop it if nobody uses it"
                                + " (SELECT pg_drop_replication_slot('"
                                + rs.getString(1).replace("'", "''")
                                + "'))"));
            }
        }
        return findings;
    }

    private static Finding walSenders(Connection connection) throws SQLException {
        long max = CatalogReads.number(connection, "SELECT current_setting('max_wal_senders')::bigint");
        long used = CatalogReads.number(connection, "SELECT count(*) FROM pg_stat_replication");
        if (used >= max) {
            return Finding.refused(
                    WAL_SENDERS,
                    "all " + max + " WAL senders are busy (max_wal_senders=" + max + ", " + used
                            + " in pg_stat_replication): raise max_wal_senders (a restart)");
        }
        return Finding.ok(WAL_SENDERS, (max - used) + " of " + max + " WAL senders free (max_wal_senders)");
    }

    /** max_slot_wal_keep_size in bytes; empty when unlimited (-1) or unknown (before PostgreSQL 13). */
    static OptionalLong walCap(Connection connection) throws SQLException {
        try (PreparedStatement sql = connection.prepareStatement(
                        "SELECT setting::bigint, unit FROM pg_settings WHERE name = 'max_slot_wal_keep_size'");
                ResultSet rs = sql.executeQuery()) {
            if (!rs.next() || rs.getLong(1) < 0) {
                return OptionalLong.empty();
            }
            long unit = "MB".equals(rs.getString(2)) ? 1L << 20 : 1L;
            return OptionalLong.of(rs.getLong(1) * unit);
        }
    }

    private static Finding walCapFinding(OptionalLong cap) {
        if (cap.isEmpty()) {
            return Finding.refused(
                    WAL_CAP,
                    "max_slot_wal_keep_size is -1 (unlimited): a lagging slot keeps WAL until the volume is full and"
                            + " PostgreSQL stops; cap it, a reload and no restart: ALTER SYSTEM SET"
                            + " max_slot_wal_keep_size = '2GB'; SELECT pg_reload_conf(); (CloudNativePG:"
                            + " spec.postgresql.parameters; Onyx's default volume is 10Gi)");
        }
        return Finding.ok(
                WAL_CAP,
                "max_slot_wal_keep_size is " + ByteSizes.human(cap.getAsLong())
                        + ": a slot lagging further is invalidated and the source keeps running");
    }

    /**
     * PostgreSQL has no function for its volume's free space. What it can tell: the size of every database it may
     * read and of its WAL directory; with the volume's size given, those plus the cap must fit.
     */
    private static Finding freeSpace(Connection connection, OptionalLong cap, OptionalLong volume, String setting)
            throws SQLException {
        long databases = CatalogReads.number(
                connection,
                "SELECT coalesce(sum(pg_database_size(oid)), 0)::bigint FROM pg_database"
                        + " WHERE has_database_privilege(oid, 'CONNECT')");
        long hidden = CatalogReads.number(
                connection, "SELECT count(*) FROM pg_database WHERE NOT has_database_privilege(oid, 'CONNECT')");
        OptionalLong wal = walDirectory(connection);
        String measured = "databases " + ByteSizes.human(databases) + " by pg_database_size"
                + (hidden > 0 ? " (" + hidden + " database(s) this role may not connect to not counted)" : "")
                + ", WAL "
                + (wal.isPresent()
                        ? ByteSizes.human(wal.getAsLong()) + " by pg_ls_waldir"
                        : "not counted (pg_ls_waldir needs a superuser or pg_monitor)");
        if (volume.isEmpty()) {
            return Finding.warning(
                    FREE_SPACE,
                    "free space not checked: PostgreSQL cannot report its volume's free space; measured " + measured
                            + "; set " + setting + " to the volume's size (Onyx's default PVC is 10Gi) to have the"
                            + " cap checked against it");
        }
        long used = databases + wal.orElse(0);
        long needed = used + cap.orElse(0);
        String against = "volume " + ByteSizes.human(volume.getAsLong()) + " (" + setting + "), " + measured + ", cap "
                + (cap.isPresent() ? ByteSizes.human(cap.getAsLong()) : "none");
        if (cap.isPresent() && needed > volume.getAsLong()) {
            return Finding.refused(
                    FREE_SPACE,
                    "a slot lagging up to max_slot_wal_keep_size would not fit: " + against
                            + "; lower max_slot_wal_keep_size (a reload) or grow the volume");
        }
        return Finding.ok(
                FREE_SPACE,
                (cap.isPresent() ? "room for the capped WAL: " : "used: ") + against
                        + "; other files on the volume are not counted");
    }

    private static OptionalLong walDirectory(Connection connection) {
        try {
            return OptionalLong.of(
                    CatalogReads.number(connection, "SELECT coalesce(sum(size), 0)::bigint FROM pg_ls_waldir()"));
        } catch (SQLException notAllowed) {
            return OptionalLong.empty();
        }
    }
}
