package dev.ferry.alembicrun;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Joins argument lists into one POSIX shell line that the shell splits back into exactly those arguments. */
final class ShellWords {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./=:,@%+-]+");

    private ShellWords() {}

    /** {@code arg} as one shell word: unchanged when plain, single-quoted otherwise. */
    static String quote(String arg) {
        return PLAIN.matcher(arg).matches() ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }

    static String line(List<String> command) {
        return command.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
    }
}
