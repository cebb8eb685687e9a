package dev.ferry.restore;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RestoreErrorsTest {

    @Test
    void server_errors_on_the_benign_list_are_counted_not_fatal() {
        RestoreErrors errors = RestoreErrors.parse("pg_restore", """
                pg_restore: while PROCESSING TOC:
                pg_restore: from TOC entry 3; 2615 2200 SCHEMA public postgres
                pg_restore: error: could not execute query: ERROR:  schema "public" already exists
                Command was: CREATE SCHEMA public;
                pg_restore: error: could not execute query: ERROR:  must be owner of extension plpgsql
                Command was: COMMENT ON EXTENSION plpgsql IS 'PL/pgSQL procedural language';
                pg_restore: warning: errors ignored on restore: 2
                """);

        assertThat(errors.benign())
                .containsExactly("schema \"public\" already exists", "must be owner of extension plpgsql");
        assertThat(errors.fatal()).isEmpty();
    }

    /** pg_restore 18 into a PostgreSQL 14-16 target: once per session, the leader's and each worker's. */
    @Test
    void a_newer_pg_restore_switching_off_a_timeout_the_target_does_not_have_is_benign() {
        RestoreErrors errors = RestoreErrors.parse("pg_restore", """
                pg_restore: error: could not execute query: ERROR:  unrecognized configuration parameter "transaction_timeout"
                Command was: SET transaction_timeout = 0;
                pg_restore: error: could not execute query: ERROR:  unrecognized configuration parameter "transaction_timeout"
                Command was: SET transaction_timeout = 0;
                pg_restore: error: could not execute query: ERROR:  unrecognized configuration parameter "statement_timeout"
                pg_restore: warning: errors ignored on restore: 3
                """);

        assertThat(errors.benign()).hasSize(2);
        assertThat(errors.fatal()).containsExactly("unrecognized configuration parameter \"statement_timeout\"");
    }

    @Test
    void any_other_error_is_fatal_and_listed() {
        RestoreErrors errors = RestoreErrors.parse("pg_restore", """
                pg_restore: error: could not execute query: ERROR:  role "db_readonly_user" does not exist
                Command was: GRANT SELECT ON TABLE public.chat_message TO db_readonly_user;
                pg_restore: error: could not execute query: ERROR:  schema "tenant_x" already exists
                pg_restore: error: could not open input file "onyx.dump": No such file or directory
                """);

        assertThat(errors.fatal())
                .containsExactly(
                        "role \"db_readonly_user\" does not exist",
                        "schema \"tenant_x\" already exists",
                        "could not open input file \"onyx.dump\": No such file or directory");
        assertThat(errors.fatalSummary(2))
                .isEqualTo(
                        "role \"db_readonly_user\" does not exist; schema \"tenant_x\" already exists; … 1 more in the log");
    }

    @Test
    void psql_errors_of_globals_are_read_the_same_way() {
        RestoreErrors errors = RestoreErrors.parse("psql", """
                psql:/tmp/globals-1.sql:14: ERROR:  role "db_readonly_user" already exists
                psql:/tmp/globals-1.sql:20: ERROR:  directory "/data/ts" does not exist
                """);

        assertThat(errors.benign()).containsExactly("role \"db_readonly_user\" already exists");
        assertThat(errors.fatal()).containsExactly("directory \"/data/ts\" does not exist");
    }

    @Test
    void a_benign_message_only_counts_when_it_matches_whole() {
        assertThat(RestoreErrors.isBenign("schema \"public\" already exists")).isTrue();
        assertThat(RestoreErrors.isBenign("schema \"public\" already exists; and more"))
                .isFalse();
        assertThat(RestoreErrors.isBenign("must be owner of extension pg_trgm")).isFalse();
    }
}
