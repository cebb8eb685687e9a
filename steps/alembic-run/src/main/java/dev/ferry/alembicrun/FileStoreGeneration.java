package dev.ferry.alembicrun;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Which schemas still hold Onyx's files the pre-June-2025 way: a {@code file_store} table whose rows point at
 * large objects ({@code lobj_oid}). Onyx migration {@code c9e2cd766c29} renames it {@code file_record} and moves
 * every such large object into Onyx's object storage (S3, MinIO) while {@code alembic upgrade} runs, so upgrading
 * those schemas needs the object-storage settings in the migration's environment. Read from the catalog, not
 * from the revision id: Ferry does not carry Onyx's revision graph, and the table is what the migration moves.
 */
final class FileStoreGeneration {

    static final String MIGRATION = "c9e2cd766c29";

    private FileStoreGeneration() {}

    /** The schemas whose files {@value #MIGRATION} still has to move, in name order. */
    static List<String> schemasBeforeExternalStorage(Connection connection) throws SQLException {
        List<String> schemas = new ArrayList<>();
        try (Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery("""
                        SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE c.relname = 'file_store' AND c.relkind IN ('r', 'p')
                          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                                      AND a.attname = 'lobj_oid' AND NOT a.attisdropped)
                        ORDER BY 1""")) {
            while (rs.next()) {
                schemas.add(rs.getString(1));
            }
        }
        return schemas;
    }
}
