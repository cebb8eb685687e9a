package dev.ferry.follow.preflight;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the apply side needs of the target: a major at least the source's (pgoutput's rows and a dump restore
 * forwards, not backwards), and a role that may record its progress with replication origins and keep Onyx's
 * triggers from firing twice ({@code session_replication_role=replica}).
 */
final class TargetServer {

    static final String CHECK = "target";

    private TargetServer() {}

    static List<Finding> check(Connection target, int sourceMajor, String where) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        int targetNum = Integer.parseInt(CatalogReads.text(target, "SHOW server_version_num"));
        findings.add(majors(sourceMajor, targetNum / 10000, where));
        boolean superuser = CatalogReads.truth(target, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user");
        String role = CatalogReads.text(target, "SELECT current_user");
        if (superuser) {
            findings.add(Finding.ok(CHECK, "target role \"" + role + "\" is a superuser"));
            return findings;
        }
        boolean origins = CatalogReads.truth(
                target,
                "SELECT has_function_privilege('pg_replication_origin_create(text)', 'EXECUTE')"
                        + " AND has_function_privilege('pg_replication_origin_session_setup(text)', 'EXECUTE')"
                        + " AND has_function_privilege('pg_replication_origin_xact_setup(pg_lsn, timestamptz)',"
                        + " 'EXECUTE')");
        if (!origins) {
            findings.add(Finding.refused(
                    CHECK,
                    "target role \"" + role + "\" may not record apply progress with replication origins: GRANT"
                            + " EXECUTE ON FUNCTION pg_replication_origin_create(text),"
                            + " pg_replication_origin_session_setup(text), pg_replication_origin_xact_setup(pg_lsn,"
                            + " timestamptz), pg_replication_origin_progress(text, boolean) TO "
                            + CatalogReads.quote(role)));
        }
        boolean replicaRole = targetNum >= 150000
                && CatalogReads.truth(target, "SELECT has_parameter_privilege('session_replication_role', 'SET')");
        if (!replicaRole) {
            findings.add(Finding.refused(
                    CHECK,
                    "target role \"" + role + "\" may not set session_replication_role, which keeps triggers from"
                            + " firing twice: "
                            + (targetNum >= 150000
                                    ? "GRANT SET ON PARAMETER session_replication_role TO " + CatalogReads.quote(role)
                                    : "before PostgreSQL 15 only a superuser may; apply as a superuser")));
        }
        if (origins && replicaRole) {
            findings.add(Finding.ok(
                    CHECK, "target role \"" + role + "\" may use replication origins and session_replication_role"));
        }
        return findings;
    }

    static Finding majors(int sourceMajor, int targetMajor, String where) {
        if (targetMajor < sourceMajor) {
            return Finding.refused(
                    CHECK,
                    "the target " + where + " runs PostgreSQL " + targetMajor + ", older than the source's "
                            + sourceMajor + ": follow into PostgreSQL " + sourceMajor + " or newer");
        }
        return Finding.ok(
                CHECK, "the target " + where + " runs PostgreSQL " + targetMajor + ", the source " + sourceMajor);
    }
}
