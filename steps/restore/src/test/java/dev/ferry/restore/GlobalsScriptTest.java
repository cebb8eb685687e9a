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

    @Test
    void existing_roles_keep_their_attributes_and_passwords() {
        GlobalsScript.Filtered filtered = GlobalsScript.withoutExistingRoles(GLOBALS, Set.of("postgres"));

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
        GlobalsScript.Filtered filtered =
                GlobalsScript.withoutExistingRoles(GLOBALS, Set.of("Odd \"role\"", "postgres"));

        assertThat(filtered.sql()).doesNotContain("CREATE ROLE \"Odd").doesNotContain("search_path");
        assertThat(filtered.keptRoles()).containsExactly("db_readonly_user");
    }
}
