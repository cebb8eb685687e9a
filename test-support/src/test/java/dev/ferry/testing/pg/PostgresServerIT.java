package dev.ferry.testing.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two majors in one JVM, password authentication for real, and the Onyx fixture on both. */
class PostgresServerIT {

    static PostgresServer source;
    static PostgresServer target;

    @BeforeAll
    static void start() {
        source = PostgresServer.start(PgMajor.SOURCE);
        target = PostgresServer.start(PgMajor.TARGET);
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @Test
    void each_server_runs_its_own_major() throws SQLException {
        assertThat(source.serverVersionNum() / 10000).isEqualTo(PgMajor.SOURCE.majorVersion());
        assertThat(target.serverVersionNum() / 10000).isEqualTo(PgMajor.TARGET.majorVersion());
        assertThat(source.port()).isNotEqualTo(target.port());
    }

    @Test
    void a_wrong_password_is_rejected_and_the_right_one_accepted() throws SQLException {
        source.createLoginRole("fixture_login", "right:pass\\word");
        try (Connection ok = source.connect("postgres", "fixture_login", "right:pass\\word")) {
            assertThat(ok.isValid(5)).isTrue();
        }
        assertThatThrownBy(() -> source.connect("postgres", "fixture_login", "wrong"))
                .isInstanceOfSatisfying(
                        SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
        assertThatThrownBy(() -> source.connect("postgres", PostgresServer.SUPERUSER, "wrong"))
                .isInstanceOfSatisfying(
                        SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
    }

    @Test
    void the_onyx_fixture_installs_on_both_majors_in_both_layouts() throws SQLException {
        for (PostgresServer server : new PostgresServer[] {source, target}) {
            server.createDatabase("single");
            server.createDatabase("multi");
            try (Connection single = server.connect("single");
                    Connection multi = server.connect("multi")) {
                OnyxFixture.singleTenant().install(single);
                OnyxFixture.multiTenant().install(multi);
                assertThat(count(single, "SELECT count(*) FROM public.chat_message"))
                        .isEqualTo(600);
                assertThat(count(single, "SELECT count(*) FROM pg_largeobject_metadata"))
                        .isEqualTo(4);
                assertThat(count(single, "SELECT count(*) FROM public.kg_entity WHERE name_trigrams IS NOT NULL"))
                        .isEqualTo(50);
                assertThat(count(multi, "SELECT count(*) FROM \"" + OnyxFixture.TENANT_SCHEMAS.get(1) + "\".\"user\""))
                        .isEqualTo(20);
                assertThat(count(multi, "SELECT count(*) FROM public.user_tenant_mapping"))
                        .isEqualTo(40);
                assertThat(count(multi, "SELECT count(*) FROM pg_largeobject_metadata"))
                        .isEqualTo(6);
            }
        }
    }

    @Test
    void the_fixture_content_is_deterministic() throws SQLException {
        source.createDatabase("first");
        source.createDatabase("second");
        try (Connection first = source.connect("first");
                Connection second = source.connect("second")) {
            OnyxFixture.singleTenant().install(first);
            OnyxFixture.singleTenant().install(second);
            String digest = "SELECT md5(string_agg(m::text, ',' ORDER BY m.id)) FROM public.chat_message m";
            assertThat(text(first, digest)).isEqualTo(text(second, digest));
        }
    }

    private static long count(Connection c, String query) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String text(Connection c, String query) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
