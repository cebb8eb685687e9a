package dev.ferry.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class GlobalsScriptTest {

    // Backticks stand for double quotes: a text block cannot hold the """ of a quoted name.
    static final String GLOBALS = """
            SET default_transaction_read_only = off;

            --
            -- Roles
            --

            CREATE ROLE db_readonly_user;
            ALTER ROLE db_readonly_user WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB NOLOGIN NOREPLICATION NOBYPASSRLS;
            CREATE ROLE postgres;
            ALTER ROLE postgres WITH SUPERUSER INHERIT CREATEROLE CREATEDB LOGIN REPLICATION BYPASSRLS PASSWORD 'SCRAM-SHA-256$4096:abc';
            CREATE ROLE `Odd ``role```;
            ALTER ROLE `Odd ``role``` SET search_path TO public;
            GRANT db_readonly_user TO `Odd ``role``` GRANTED BY postgres;
            """.replace('`', '"');

    static final Set<String> ALL = Set.of("db_readonly_user", "postgres", "Odd \"role\"", "other_app");

    @Test
    void existing_roles_keep_their_attributes_and_passwords() {
        GlobalsScript.Filtered filtered = GlobalsScript.forTarget(GLOBALS, Set.of("postgres"), ALL);

        assertThat(filtered.sql())
                .doesNotContain("SCRAM-SHA-256")
                .doesNotContain("CREATE ROLE postgres;")
                .contains("CREATE ROLE db_readonly_user;")
                .contains("ALTER ROLE db_readonly_user WITH NOSUPERUSER")
                .contains("SET default_transaction_read_only = off;")
                .contains("GRANT db_readonly_user TO \"Odd \"\"role\"\"\" GRANTED BY postgres;");
        assertThat(filtered.skippedRoles()).containsExactly("postgres");
        assertThat(filtered.keptRoles()).containsExactly("db_readonly_user", "Odd \"role\"");
    }

    @Test
    void quoted_names_are_matched_after_unquoting() {
        GlobalsScript.Filtered filtered = GlobalsScript.forTarget(GLOBALS, Set.of("Odd \"role\"", "postgres"), ALL);

        assertThat(filtered.sql()).doesNotContain("CREATE ROLE \"Odd").doesNotContain("search_path");
        assertThat(filtered.keptRoles()).containsExactly("db_readonly_user");
    }

    @Test
    void roles_the_database_does_not_refer_to_and_their_memberships_stay_behind() {
        String globals = GLOBALS + """
                CREATE ROLE other_app;
                ALTER ROLE other_app WITH LOGIN PASSWORD 'SCRAM-SHA-256$4096:other';
                GRANT pg_read_all_data TO db_readonly_user GRANTED BY postgres;
                GRANT pg_read_all_data TO other_app GRANTED BY postgres;
                GRANT db_readonly_user TO postgres GRANTED BY postgres;
                """;

        GlobalsScript.Filtered filtered =
                GlobalsScript.forTarget(globals, Set.of("postgres"), Set.of("db_readonly_user", "postgres"));

        assertThat(filtered.keptRoles()).containsExactly("db_readonly_user");
        assertThat(filtered.unreferencedRoles()).containsExactly("Odd \"role\"", "other_app");
        assertThat(filtered.sql())
                .contains("GRANT pg_read_all_data TO db_readonly_user")
                .doesNotContain("other_app")
                .doesNotContain("TO postgres")
                .doesNotContain("Odd");
        assertThat(filtered.rolesWithPassword()).isEmpty();
    }

    @Test
    void a_created_role_with_its_source_password_is_reported() {
        String globals = """
                CREATE ROLE db_readonly_user;
                ALTER ROLE db_readonly_user WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS PASSWORD 'SCRAM-SHA-256$4096:ro';
                """;

        GlobalsScript.Filtered filtered = GlobalsScript.forTarget(globals, Set.of(), Set.of("db_readonly_user"));

        assertThat(filtered.rolesWithPassword()).containsExactly("db_readonly_user");
        assertThat(filtered.sql()).contains("PASSWORD 'SCRAM-SHA-256$4096:ro'");
    }
}
