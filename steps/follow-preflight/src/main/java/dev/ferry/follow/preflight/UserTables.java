package dev.ferry.follow.preflight;

/** Which tables a follow carries: those of every schema but PostgreSQL's own, without extensions' members. */
final class UserTables {

    private UserTables() {}

    /** A condition on {@code n} (pg_namespace) and {@code c} (pg_class), the same rule the inventory uses. */
    static final String SCHEMA_FILTER = """
            n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
              AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                              AND d.deptype = 'e')
            """;
}
