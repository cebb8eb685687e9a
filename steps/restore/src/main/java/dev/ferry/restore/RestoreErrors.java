package dev.ferry.restore;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The errors pg_restore (or psql applying globals.sql) reported, split into the few that are known
 * to be harmless and the rest, which fail the step. Nothing is hidden: the benign ones are counted
 * and logged, the others are listed in the failure message.
 *
 * <p>Benign, and why:
 * <ul>
 * <li>{@code schema "public" already exists}: dumps of servers before 15 carry CREATE SCHEMA public,
 * which every new database already has.</li>
 * <li>{@code must be owner of extension plpgsql} / {@code must be owner of schema public}: a
 * non-superuser cannot COMMENT ON what the bootstrap superuser owns; the comment is all that is lost.</li>
 * <li>{@code role "…" already exists}: globals.sql creating a role a concurrent actor just created.</li>
 * <li>{@code unrecognized configuration parameter "transaction_timeout"}: pg_restore 17 and later (the images
 * ship 18) open every session with {@code SET transaction_timeout = 0}, a setting PostgreSQL only has since 17;
 * a target before 17 has no such timeout to switch off.</li>
 * </ul>
 */
record RestoreErrors(List<String> benign, List<String> fatal) {

    static final List<Pattern> BENIGN = List.of(
            Pattern.compile("schema \"public\" already exists"),
            Pattern.compile("must be owner of extension plpgsql"),
            Pattern.compile("must be owner of schema public"),
            Pattern.compile("role \"(?:[^\"]|\"\")+\" already exists"),
            Pattern.compile("unrecognized configuration parameter \"transaction_timeout\""));

    private static final String SERVER_ERROR = "ERROR:  ";

    /** Reads a tool's stderr: every server ERROR line, and every {@code <tool>: error:} line without one. */
    static RestoreErrors parse(String toolName, String stderr) {
        List<String> benign = new ArrayList<>();
        List<String> fatal = new ArrayList<>();
        String toolError = toolName + ": error: ";
        for (String line : stderr.lines().toList()) {
            int server = line.indexOf(SERVER_ERROR);
            if (server >= 0) {
                String message = line.substring(server + SERVER_ERROR.length()).strip();
                (isBenign(message) ? benign : fatal).add(message);
            } else if (line.startsWith(toolError)) {
                fatal.add(line.substring(toolError.length()).strip());
            }
        }
        return new RestoreErrors(List.copyOf(benign), List.copyOf(fatal));
    }

    static boolean isBenign(String serverMessage) {
        return BENIGN.stream()
                .anyMatch(pattern -> pattern.matcher(serverMessage).matches());
    }

    /** The first {@code max} fatal errors joined for a one-line message. */
    String fatalSummary(int max) {
        String listed = String.join("; ", fatal.stream().limit(max).toList());
        return fatal.size() > max ? listed + "; … " + (fatal.size() - max) + " more in the log" : listed;
    }
}
