package dev.ferry.pg;

/** How a client tool ended: its exit code and what it wrote (bounded; see {@link OutputTail}). */
public record ToolResult(PgTool tool, int exitCode, String stdout, String stderr) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** stderr for a one-line message: lines joined with " | ", at most {@code maxChars}. */
    public String stderrSummary(int maxChars) {
        String joined = String.join(
                " | ",
                stderr.strip()
                        .lines()
                        .map(String::strip)
                        .filter(l -> !l.isEmpty())
                        .toList());
        return joined.length() <= maxChars ? joined : joined.substring(0, maxChars) + " …";
    }
}
