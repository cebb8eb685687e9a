package dev.ferry.pg;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL version in {@code server_version_num} form (140022 = 14.22, 90624 = 9.6.24), from a
 * server or from a client tool's {@code --version} line. Since PostgreSQL 10 the major version is
 * the first number; before it, the first two.
 */
public record PgVersion(int versionNum) implements Comparable<PgVersion> {

    // "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)", "psql (PostgreSQL) 17beta1", "pg_dump (PostgreSQL) 9.6.24"
    private static final Pattern TOOL_VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");

    public static PgVersion ofServerVersionNum(int versionNum) {
        return new PgVersion(versionNum);
    }

    public static PgVersion ofServerVersionNum(String versionNum) {
        return new PgVersion(Integer.parseInt(versionNum.strip()));
    }

    /** Parses a tool's {@code --version} output; throws {@link IllegalArgumentException} when it is not one. */
    public static PgVersion parseToolVersion(String output) {
        Matcher m = TOOL_VERSION.matcher(output);
        if (!m.find()) {
            throw new IllegalArgumentException("not a PostgreSQL version line: " + output.strip());
        }
        int first = Integer.parseInt(m.group(1));
        int second = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        int third = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return new PgVersion(first >= 10 ? first * 10000 + second : first * 10000 + second * 100 + third);
    }

    /** Comparable major: 14 for 14.x; 906 for 9.6 (so 9.6 sorts below 10). */
    public int majorKey() {
        return versionNum >= 100000 ? versionNum / 10000 * 100 : versionNum / 100;
    }

    /** The major as people write it: "14", "9.6". */
    public String major() {
        return versionNum >= 100000
                ? Integer.toString(versionNum / 10000)
                : (versionNum / 10000) + "." + (versionNum / 100 % 100);
    }

    public boolean isOlderMajorThan(PgVersion other) {
        return majorKey() < other.majorKey();
    }

    @Override
    public int compareTo(PgVersion other) {
        return Integer.compare(versionNum, other.versionNum);
    }

    /** "14.22", "9.6.24". */
    @Override
    public String toString() {
        return versionNum >= 100000
                ? (versionNum / 10000) + "." + (versionNum % 10000)
                : (versionNum / 10000) + "." + (versionNum / 100 % 100) + "." + (versionNum % 100);
    }
}
