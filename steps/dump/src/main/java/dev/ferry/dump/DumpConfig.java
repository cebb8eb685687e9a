package dev.ferry.dump;

import dev.ferry.core.workspace.DumpFormat;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** Settings of the dump step (env vars FERRY_DUMP_*); connection settings come from POSTGRES_* ({@code PostgresConfig}). */
@ConfigMapping(prefix = "ferry.dump")
public interface DumpConfig {

    /**
     * FERRY_DUMP_FORMAT: {@code custom} (one file, pg_dump -Fc) or {@code directory} (a folder, pg_dump -Fd,
     * the only format that dumps with several jobs).
     */
    @WithDefault("custom")
    DumpFormat format();

    /**
     * FERRY_DUMP_COMPRESSION: handed to pg_dump --compress: a level 0-9 (0 = none), or with pg_dump 16+
     * a method such as {@code zstd:3} or {@code lz4}. Unset: the fast choice, {@code zstd:1} with pg_dump 16+
     * and gzip level {@code 1} before; the runbook's {@code 6} is smaller and about three times slower.
     */
    Optional<String> compression();

    /**
     * FERRY_DUMP_JOBS: parallel pg_dump jobs (each holds one connection; the inventory counts rows over as
     * many); above 1 needs FERRY_DUMP_FORMAT=directory. Unset: one per CPU the step may use (up to 8) with
     * the directory format, else 1.
     */
    OptionalInt jobs();

    /**
     * FERRY_DUMP_CONTENT_DIGESTS: digest every table's rows and the large objects inside the dump's snapshot,
     * while pg_dump runs, for validate to compare with the target's (FERRY_VALIDATE_CONTENT=full); false
     * records exact row counts only.
     */
    @WithDefault("true")
    boolean contentDigests();

    /**
     * FERRY_DUMP_GLOBALS: also write globals.sql with pg_dumpall --globals-only, so that the login roles the
     * database refers to (Onyx's db_readonly_user) keep LOGIN, password and memberships on the target; falls
     * back to --no-role-passwords when the user may not read pg_authid (not a superuser). restore applies only
     * the roles the database refers to, and never alters one the target already has.
     */
    @WithDefault("true")
    boolean globals();

    /** FERRY_DUMP_PG_BIN_DIR: folder with pg_dump and pg_dumpall; unset means the ones on PATH. */
    Optional<Path> pgBinDir();

    /** FERRY_DUMP_TIMEOUT: longest pg_dump (and pg_dumpall) may run before it is stopped (exit 5), ISO-8601 like PT6H. */
    @WithDefault("PT6H")
    Duration timeout();

    /**
     * FERRY_DUMP_SHARDS_MIGRATED_SEPARATELY: with Onyx's tenants sharded over several databases (ONYX_DB_SHARDS in
     * the Onyx ConfigMap), the other shards, comma-separated, that get their own export and import: a dump of one
     * shard is refused (exit 3) while any other shard is not listed, since its tenants would stay behind.
     */
    Optional<java.util.List<String>> shardsMigratedSeparately();

    /**
     * FERRY_DUMP_FOLLOW: make this dump the base copy of a follow. Before dumping, set the replica identities the
     * follow needs (a table with neither primary key nor usable unique index is refused, exit 3), create the
     * publication FERRY_DUMP_FOLLOW_PUBLICATION and the logical slot FERRY_DUMP_FOLLOW_SLOT, and dump in the snapshot
     * the slot exported, so follow-capture carries every change after it. The manifest records the slot and its
     * consistent point; a failed run removes all it created. Needs wal_level=logical and a role with REPLICATION.
     */
    @WithDefault("false")
    boolean follow();

    /**
     * FERRY_DUMP_FOLLOW_SLOT: the logical replication slot a follow creates on the source (lower-case letters, digits
     * and underscores); one that exists already is refused (exit 3): another follow runs.
     */
    @WithDefault("ferry_follow")
    String followSlot();

    /** FERRY_DUMP_FOLLOW_PUBLICATION: the publication a follow creates on the source; one that exists is refused (exit 3). */
    @WithDefault("ferry_follow")
    String followPublication();

    /**
     * FERRY_DUMP_FOLLOW_SLOT_TIMEOUT: longest the slot's creation may wait for the write transactions running at that
     * moment to end, ISO-8601 like PT5M; beyond it the run stops (exit 5) and removes what it created.
     */
    @WithDefault("PT5M")
    Duration followSlotTimeout();
}
