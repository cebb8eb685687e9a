package dev.ferry.validate;

import dev.ferry.core.ByteSizes;
import java.util.List;
import java.util.Locale;

/** Renders {@code report/validation.md}: a person's view of the same checks as the JSON report. */
final class MarkdownReport {

    static final String TIMELINE_SVG = "timeline.svg";
    private static final int SUMMARY_MISMATCHES = 3;

    private MarkdownReport() {}

    static String render(ValidationReport report) {
        Comparison checks = report.checks();
        StringBuilder md = new StringBuilder(4096);
        md.append("# Validation ").append(report.verdict()).append("\n\n");
        summary(md, report);
        md.append("Migration `")
                .append(report.migrationId())
                .append("`: source database `")
                .append(report.sourceDatabase())
                .append("` (PostgreSQL ")
                .append(report.sourceServerVersion())
                .append("), target `")
                .append(report.target())
                .append("`, checked at ")
                .append(report.checkedAt())
                .append(".\n\n");
        md.append("**")
                .append(report.mismatchCount())
                .append(" mismatches, ")
                .append(report.warningCount())
                .append(" warnings.**\n\n");
        list(md, "Mismatches", checks.mismatches());
        list(md, "Warnings", checks.warnings());

        md.append(
                "## Tables\n\n| table | source rows | target rows | content | verdict |\n| --- | ---: | ---: | --- | --- |\n");
        checks.tables()
                .forEach(t -> row(
                        md, t.verdict(), t.table(), orMissing(t.sourceRows()), orMissing(t.targetRows()), t.content()));
        md.append("\n## Schemas\n\n| schema | in source | on target | verdict |\n| --- | --- | --- | --- |\n");
        checks.schemas().forEach(s -> row(md, s.schema(), yesNo(s.inSource()), yesNo(s.inTarget()), s.verdict()));
        md.append(
                "\n## Sequences\n\n| sequence | source last value | target last value | verdict |\n| --- | ---: | ---: | --- |\n");
        checks.sequences().forEach(s -> row(md, s.sequence(), s.sourceLastValue(), s.targetLastValue(), s.verdict()));
        md.append(
                "\n## Large objects\n\n| | source | target | content | verdict |\n| --- | ---: | ---: | --- | --- |\n");
        row(
                md,
                checks.largeObjects().verdict(),
                "large objects",
                Long.toString(checks.largeObjects().source()),
                Long.toString(checks.largeObjects().target()),
                checks.largeObjects().content());
        md.append("\n## Indexes, constraints, triggers\n\n| | source | target | definitions | verdict |\n"
                + "| --- | ---: | ---: | --- | --- |\n");
        row(
                md,
                checks.schemaObjects().verdict(),
                "schema objects",
                Long.toString(checks.schemaObjects().source()),
                Long.toString(checks.schemaObjects().target()),
                checks.schemaObjects().content());
        md.append(
                "\n## Extensions\n\n| extension | source version | target version | verdict |\n| --- | --- | --- | --- |\n");
        checks.extensions()
                .forEach(e -> row(
                        md, e.extension(), orMissing(e.sourceVersion()), orMissing(e.targetVersion()), e.verdict()));
        md.append("\n## alembic_version\n\n| schema | source | target | verdict |\n| --- | --- | --- | --- |\n");
        checks.alembicVersions()
                .forEach(a -> row(md, a.schema(), revisions(a.source()), revisions(a.target()), a.verdict()));
        return md.toString();
    }

    /** The one screen a person reads first: verdict, what differs, the outage, the bytes moved. */
    private static void summary(StringBuilder md, ValidationReport report) {
        Comparison checks = report.checks();
        md.append("| | |\n| --- | --- |\n");
        md.append("| **Verdict** | ")
                .append(report.verdict())
                .append(": ")
                .append(report.mismatchCount())
                .append(" mismatches, ")
                .append(report.warningCount())
                .append(" warnings; compared ")
                .append(report.compared())
                .append(" |\n");
        md.append("| **What differs** | ")
                .append(
                        checks.mismatches().isEmpty()
                                ? "nothing"
                                : cell(String.join(
                                                "; ",
                                                checks.mismatches().stream()
                                                        .limit(SUMMARY_MISMATCHES)
                                                        .toList())
                                        + (checks.mismatches().size() > SUMMARY_MISMATCHES
                                                ? "; and "
                                                        + (checks.mismatches().size() - SUMMARY_MISMATCHES)
                                                        + " more below"
                                                : "")))
                .append(" |\n");
        OutagePrediction outage = report.outage();
        md.append("| **Outage** | ")
                .append(
                        outage == null
                                ? "not known (no step recorded its timing in this workspace)"
                                : (outage.hasAssumptions() ? "predicted " : "") + "**" + outage.human() + "**: "
                                        + cell(outage.describeParts()))
                .append(" |\n");
        md.append("| **Bytes moved** | ")
                .append(ByteSizes.human(report.artifactBytes()))
                .append(" of dump artifacts for a source database of ")
                .append(ByteSizes.human(report.sourceDatabaseBytes()))
                .append(" |\n\n");
        if (outage != null) {
            md.append("![Timeline of the migration, the outage window from freeze to scale-up](")
                    .append(TIMELINE_SVG)
                    .append(")\n\n");
            if (outage.hasAssumptions() || outage.growth() != 1.0) {
                md.append("How the outage is predicted: each step that ran counts with its measured time (program"
                                + " start to end), the waits between steps as measured. ")
                        .append(
                                outage.growth() != 1.0
                                        ? String.format(
                                                Locale.ROOT,
                                                "No freeze ran, so Onyx wrote %.2f %% more rows during the dump than"
                                                        + " it holds; each data step is scaled by that at its measured"
                                                        + " rate. ",
                                                (outage.growth() - 1) * 100)
                                        : "")
                        .append("Parts marked assumed did not run before validate and come from the"
                                + " FERRY_VALIDATE_PREDICT_* settings.\n\n");
            }
        }
    }

    private static void list(StringBuilder md, String title, List<String> sentences) {
        if (sentences.isEmpty()) {
            return;
        }
        md.append("## ").append(title).append("\n\n");
        sentences.forEach(s -> md.append("- ").append(cell(s)).append('\n'));
        md.append('\n');
    }

    private static void row(StringBuilder md, String name, String source, String target, Verdict verdict) {
        row(md, verdict, name, source, target);
    }

    /** One table row: each cell escaped, then the verdict, bold unless it is a match. */
    private static void row(StringBuilder md, Verdict verdict, String... cells) {
        md.append("| ");
        for (String cell : cells) {
            md.append(cell(cell)).append(" | ");
        }
        md.append(verdict == Verdict.MATCH ? verdict.label() : "**" + verdict.label() + "**")
                .append(" |\n");
    }

    /** Names may hold anything a quoted identifier can: keep them from breaking the table. */
    static String cell(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("\r", " ");
    }

    private static String orMissing(Object value) {
        return value == null ? "missing" : value.toString();
    }

    private static String yesNo(boolean present) {
        return present ? "yes" : "no";
    }

    private static String revisions(List<String> revisions) {
        return revisions == null ? "none" : String.join(", ", revisions);
    }
}
