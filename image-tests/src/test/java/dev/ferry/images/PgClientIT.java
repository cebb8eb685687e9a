package dev.ferry.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.pg.PgMajor;
import dev.ferry.testing.pg.PostgresServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The PostgreSQL client the images ship (images/README.md, "PostgreSQL client"): pg_dump refuses a server newer than
 * itself, so its major decides which Onyx databases Ferry can move at all. The dump image's pg_dump, run as the Task
 * runs it, reads every server major the tests start; the restore image's tools are of the same major.
 */
class PgClientIT {

    static final int SHIPPED_MAJOR = 18;

    @BeforeAll
    static void buildImages() throws Exception {
        LocalImages.build();
    }

    @Test
    void theDumpAndRestoreImagesShipTheNewestClientMajor() throws Exception {
        for (String[] tool : new String[][] {
            {"dump", "pg_dump"}, {"dump", "pg_dumpall"}, {"restore", "pg_restore"}, {"restore", "dropdb"}
        }) {
            LocalImages.Result version = inImage(tool[0], Map.of(), tool[1], "--version")
                    .assertSucceeded(tool[1] + " --version in ferry-" + tool[0]);
            assertThat(version.output()).as(tool[1]).contains("(PostgreSQL) " + SHIPPED_MAJOR + ".");
        }
    }

    @ParameterizedTest
    @EnumSource(PgMajor.class)
    void theDumpImagesPgDumpReadsEveryServerMajor(PgMajor major) throws Exception {
        try (PostgresServer server = PostgresServer.start(major)) {
            server.createDatabase("onyx");
            try (var connection = server.connect("onyx");
                    var sql = connection.createStatement()) {
                sql.execute("CREATE TABLE chat_message (id bigint PRIMARY KEY, message text)");
                sql.execute("INSERT INTO chat_message VALUES (1, 'hello')");
            }
            // The password by name only: its value is in podman's environment, never on a command line.
            LocalImages.Result dump = inImage(
                            "dump",
                            Map.of("PGPASSWORD", server.superuserPassword()),
                            "pg_dump",
                            "--host=" + server.host(),
                            "--port=" + server.port(),
                            "--username=" + server.superuser(),
                            "--dbname=onyx",
                            "--table=chat_message")
                    .assertSucceeded("pg_dump of a " + major.majorVersion() + " server");
            assertThat(dump.output())
                    .contains("-- Dumped from database version " + major.majorVersion() + ".")
                    .contains("-- Dumped by pg_dump version " + SHIPPED_MAJOR + ".")
                    .contains("CREATE TABLE public.chat_message");
        }
    }

    /** A command in a step's image with the Tasks' securityContext: random UID in group 0, read-only, no capabilities. */
    private static LocalImages.Result inImage(String step, Map<String, String> secrets, String... command)
            throws Exception {
        List<String> arguments = new java.util.ArrayList<>(List.of(
                "run",
                "--rm",
                "--network",
                "host",
                "--user",
                "1000770000:0",
                "--read-only",
                "--read-only-tmpfs=false",
                "--cap-drop",
                "all",
                "--security-opt",
                "no-new-privileges",
                "--pull",
                "never"));
        secrets.keySet().forEach(name -> arguments.addAll(List.of("--env", name)));
        arguments.add("--entrypoint=" + command[0]);
        arguments.add("localhost/ferry-" + step + ":local");
        arguments.addAll(List.of(command).subList(1, command.length));
        return LocalImages.podman(arguments, secrets, java.nio.file.Path.of("/dev/null"));
    }
}
