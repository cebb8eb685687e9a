package dev.ferry.restore;

import dev.ferry.core.manifest.Inventory;
import dev.ferry.pg.PgIdentifiers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

/**
 * Makes sure the source's login roles can log in on the target, from the first source that has a
 * password: globals.sql with the source's password hashes (a superuser dumped it), else the password
 * setting for Onyx's read-only role ({@code FERRY_RESTORE_READONLY_USER}/{@code _PASSWORD}, from the
 * {@code onyx-dbreadonly} Secret), else nothing, which is reported. A role the target had before this
 * restore is never altered. A password from the setting is hashed here (SCRAM-SHA-256, by the driver)
 * and only the hash reaches the server, so it cannot appear in the server's statement log.
 */
final class LoginRoles {

    private static final Logger LOG = Logger.getLogger(LoginRoles.class);

    /** Where each source login role's password came from; {@code withoutPassword} cannot log in. */
    record Outcome(
            List<String> fromGlobals, List<String> fromSetting, List<String> untouched, List<String> withoutPassword) {}

    private final Optional<String> readonlyUser;
    private final Optional<String> readonlyPassword;

    LoginRoles(Optional<String> readonlyUser, Optional<String> readonlyPassword) {
        this.readonlyUser = readonlyUser.map(String::strip).filter(s -> !s.isEmpty());
        this.readonlyPassword = readonlyPassword.filter(s -> !s.isEmpty());
    }

    Outcome settle(
            Connection connection,
            List<Inventory.RoleFacts> source,
            Set<String> existedBefore,
            Set<String> passwordFromGlobals)
            throws SQLException {
        List<String> fromGlobals = new ArrayList<>();
        List<String> fromSetting = new ArrayList<>();
        List<String> untouched = new ArrayList<>();
        List<String> withoutPassword = new ArrayList<>();
        for (Inventory.RoleFacts role : source) {
            if (!role.login()) {
                continue;
            }
            String name = role.name();
            if (existedBefore.contains(name)) {
                untouched.add(name);
                LOG.infof("phase=roles role=%s login=as_on_the_target reason=existed_before_the_restore", name);
            } else if (passwordFromGlobals.contains(name)) {
                fromGlobals.add(name);
                LOG.infof("phase=roles role=%s login=true password=from_globals_sql", name);
            } else if (readonlyUser.filter(name::equals).isPresent() && readonlyPassword.isPresent()) {
                try (Statement sql = connection.createStatement()) {
                    sql.execute("ALTER ROLE " + PgIdentifiers.quote(name) + " WITH LOGIN");
                }
                connection
                        .unwrap(PGConnection.class)
                        .alterUserPassword(name, readonlyPassword.get().toCharArray(), "scram-sha-256");
                fromSetting.add(name);
                LOG.infof("phase=roles role=%s login=true password=from_FERRY_RESTORE_READONLY_PASSWORD", name);
            } else {
                withoutPassword.add(name);
                LOG.warnf(
                        "phase=roles role=%s login=false warning=\"logs in on the source, but no password travelled: "
                                + "dump as a superuser (globals.sql with passwords), or set FERRY_RESTORE_READONLY_USER "
                                + "and FERRY_RESTORE_READONLY_PASSWORD (the onyx-dbreadonly Secret)\"",
                        name);
            }
        }
        return new Outcome(fromGlobals, fromSetting, untouched, withoutPassword);
    }
}
