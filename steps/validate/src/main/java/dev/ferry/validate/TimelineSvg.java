package dev.ferry.validate;

import dev.ferry.validate.OutagePrediction.Basis;
import dev.ferry.validate.OutagePrediction.Part;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws {@code report/timeline.svg}: one bar per part of the outage on a common time axis, where each
 * measured step lies at the moment it ran and each assumed part where a cutover would put it (the freeze
 * before the dump, alembic-run and scale-up after validate), under a band that spans the outage window from
 * the freeze to the end of scale-up. Plain SVG 1.1 with no script or external reference, so it shows the
 * same in a browser, a Git forge's file view and the Markdown report beside it.
 */
final class TimelineSvg {

    private static final int WIDTH = 960;
    private static final int LABEL_WIDTH = 130;
    private static final int RIGHT_MARGIN = 150;
    private static final int ROW = 26;
    private static final int TOP = 58;
    private static final int BAR = 16;
    private static final String MEASURED = "#2f6fb3";
    private static final String EXTRAPOLATED = "#6b9bd1";
    private static final String ASSUMED = "#f0b429";

    private TimelineSvg() {}

    /** A bar: where it starts on the axis and how long it is, in seconds from the start of the window. */
    private record Bar(Part part, double offset, double length) {}

    static String render(OutagePrediction outage, String title) {
        List<Bar> bars = layOut(outage);
        double span = Math.max(
                bars.stream().mapToDouble(b -> b.offset() + b.length()).max().orElse(1), 1);
        double scale = (WIDTH - LABEL_WIDTH - RIGHT_MARGIN) / span;
        int height = TOP + bars.size() * ROW + 56;
        StringBuilder svg = new StringBuilder(4096);
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">%n",
                WIDTH,
                height,
                WIDTH,
                height));
        svg.append("<title>").append(escape(title)).append("</title>\n");
        svg.append("<defs><pattern id=\"assumed\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\""
                        + " patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fff3d6\"/>"
                        + "<rect width=\"3\" height=\"6\" fill=\"")
                .append(ASSUMED)
                .append("\"/></pattern></defs>\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        text(svg, 12, 20, "start", "font-size=\"15\" font-weight=\"bold\"", title);
        double windowWidth = span * scale;
        svg.append(String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#fdecea\" stroke=\"#d64545\""
                        + " stroke-dasharray=\"4 3\"/>%n",
                LABEL_WIDTH,
                TOP - 18,
                windowWidth,
                bars.size() * ROW + 22));
        text(
                svg,
                LABEL_WIDTH + 4,
                TOP - 6,
                "start",
                "fill=\"#b42318\"",
                "outage window: " + outage.human() + (outage.hasAssumptions() ? " (predicted)" : ""));
        int y = TOP;
        for (Bar bar : bars) {
            Part part = bar.part();
            text(svg, LABEL_WIDTH - 8, y + 12, "end", "", part.name());
            double x = LABEL_WIDTH + bar.offset() * scale;
            double w = Math.max(bar.length() * scale, 1.5);
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"%s><title>%s</title></rect>%n",
                    x,
                    y,
                    w,
                    BAR,
                    fill(part.basis()),
                    part.basis() == Basis.ASSUMED ? " stroke=\"" + ASSUMED + "\"" : "",
                    escape(part.name() + ": " + OutagePrediction.humanDuration(part.seconds()) + ", "
                            + part.basis().label())));
            text(
                    svg,
                    (int) Math.round(x + w + 6),
                    y + 12,
                    "start",
                    "fill=\"#333333\"",
                    OutagePrediction.humanDuration(part.seconds())
                            + (part.basis() == Basis.MEASURED
                                    ? ""
                                    : " " + part.basis().label()));
            y += ROW;
        }
        axis(svg, span, scale, y + 6);
        legend(svg, y + 40);
        return svg.append("</svg>\n").toString();
    }

    /**
     * Measured steps at their real offsets from the first one, behind an assumed freeze when none ran;
     * assumed alembic-run and scale-up one after the other from the last measured end. The waits between
     * steps are the gaps between bars, not a bar of their own.
     */
    private static List<Bar> layOut(OutagePrediction outage) {
        List<Bar> bars = new ArrayList<>();
        double lead = outage.parts().stream()
                .filter(p -> p.name().equals("freeze") && p.basis() == Basis.ASSUMED)
                .mapToDouble(Part::seconds)
                .sum();
        double cursor = lead;
        for (Part part : outage.parts()) {
            if (part.name().equals(OutagePrediction.BETWEEN_STEPS)) {
                continue;
            }
            if (part.startedAt() != null && outage.windowStart() != null) {
                double offset = lead
                        + Duration.between(outage.windowStart(), part.startedAt())
                                        .toMillis()
                                / 1000.0;
                bars.add(new Bar(part, offset, part.seconds()));
                cursor = Math.max(cursor, offset + part.seconds());
            } else if (part.name().equals("freeze")) {
                bars.add(new Bar(part, 0, part.seconds()));
            } else {
                bars.add(new Bar(part, cursor, part.seconds()));
                cursor += part.seconds();
            }
        }
        return bars;
    }

    private static void axis(StringBuilder svg, double span, double scale, int y) {
        double step = tickStep(span);
        svg.append(String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#555555\"/>%n",
                LABEL_WIDTH,
                y,
                LABEL_WIDTH + span * scale,
                y));
        for (double t = 0; t <= span + 1e-9; t += step) {
            double x = LABEL_WIDTH + t * scale;
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#555555\"/>%n",
                    x,
                    y,
                    x,
                    y + 4));
            text(svg, (int) Math.round(x), y + 16, "middle", "fill=\"#555555\"", tickLabel(t, step));
        }
    }

    /** About eight ticks at a round step: 1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min, 1 h … */
    static double tickStep(double span) {
        double[] steps = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800};
        for (double step : steps) {
            if (span / step <= 8) {
                return step;
            }
        }
        return Math.ceil(span / 8 / 3600) * 3600;
    }

    private static String tickLabel(double t, double step) {
        if (step >= 3600) {
            return String.format(Locale.ROOT, "%.0f h", t / 3600);
        }
        if (step >= 60) {
            return String.format(Locale.ROOT, "%.0f min", t / 60);
        }
        return String.format(Locale.ROOT, "%.0f s", t);
    }

    private static void legend(StringBuilder svg, int y) {
        int x = LABEL_WIDTH;
        for (Basis basis : Basis.values()) {
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"10\" fill=\"%s\"/>%n",
                    x,
                    y - 9,
                    fill(basis)));
            text(svg, x + 20, y, "start", "", basis.label());
            x += 130;
        }
    }

    private static String fill(Basis basis) {
        return switch (basis) {
            case MEASURED -> MEASURED;
            case EXTRAPOLATED -> EXTRAPOLATED;
            case ASSUMED -> "url(#assumed)";
        };
    }

    private static void text(StringBuilder svg, int x, int y, String anchor, String attributes, String content) {
        svg.append("<text x=\"")
                .append(x)
                .append("\" y=\"")
                .append(y)
                .append("\" text-anchor=\"")
                .append(anchor)
                .append('"')
                .append(attributes.isEmpty() ? "" : " " + attributes)
                .append('>')
                .append(escape(content))
                .append("</text>\n");
    }

    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
