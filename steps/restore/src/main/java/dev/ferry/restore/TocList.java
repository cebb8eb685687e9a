package dev.ferry.restore;

import dev.ferry.core.StepFailure;
import dev.ferry.pg.PgTool;
import dev.ferry.pg.PgToolRunner;
import dev.ferry.pg.RunningTool;
import dev.ferry.pg.ToolResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A dump's table of contents as {@code pg_restore --list} prints it, and the list files
 * ({@code --use-list}) that select parts of it: a line starting with {@code ;} is left out.
 *
 * <p>An entry line reads {@code <dump id>; <catalog oid> <oid> <type> <schema> <name> <owner>}, with the
 * names unquoted, so a table's data entry is found by the exact text {@code TABLE DATA <schema> <name> };
 * a table whose entry is not found exactly once is simply not loaded apart (pg_restore loads it).
 */
record TocList(List<String> lines) {

    static TocList read(PgToolRunner tools, Path dumpInput, Duration timeout) throws IOException {
        List<String> lines = new ArrayList<>();
        ToolResult result;
        try (RunningTool list =
                tools.start(PgTool.PG_RESTORE, List.of("--list", dumpInput.toString()), RunningTool.Streams.OUTPUT)) {
            // Read to the end here, not into a bounded tail: a many-tenant dump lists tens of thousands of entries.
            try (BufferedReader output =
                    new BufferedReader(new InputStreamReader(list.output(), StandardCharsets.UTF_8))) {
                for (String line; (line = output.readLine()) != null; ) {
                    lines.add(line);
                }
            }
            result = list.await(timeout);
        }
        if (!result.succeeded()) {
            throw StepFailure.verificationFailed(
                    "pg_restore --list failed (exit " + result.exitCode() + "): " + result.stderrSummary(500));
        }
        return new TocList(List.copyOf(lines));
    }

    /** The one entry line of {@code schema.table}'s data, if there is exactly one. */
    Optional<String> tableData(String schema, String table) {
        String marker = " TABLE DATA " + schema + " " + table + " ";
        List<String> found = lines.stream()
                .filter(line -> !line.startsWith(";") && line.contains(marker))
                .limit(2)
                .toList();
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    /** Writes a list file holding every entry but {@code leftOut}. */
    Path writeWithout(Path file, Set<String> leftOut) throws IOException {
        List<String> selected = lines.stream()
                .map(line -> leftOut.contains(line) ? ";" + line : line)
                .toList();
        return Files.write(file, selected, StandardCharsets.UTF_8);
    }

    /** Writes a list file holding only {@code entry}. */
    static Path writeOnly(Path file, String entry) throws IOException {
        return Files.write(file, List.of(entry), StandardCharsets.UTF_8);
    }
}
