package dev.ferry.pg;

/** The PostgreSQL client programs Ferry runs. */
public enum PgTool {
    PG_DUMP("pg_dump"),
    PG_DUMPALL("pg_dumpall"),
    PG_RESTORE("pg_restore"),
    PSQL("psql"),
    VACUUMDB("vacuumdb");

    private final String executable;

    PgTool(String executable) {
        this.executable = executable;
    }

    public String executable() {
        return executable;
    }
}
