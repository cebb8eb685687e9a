package dev.ferry.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class TimelineSvgTest {

    @Test
    void one_bar_per_part_under_the_outage_window_in_well_formed_svg() throws Exception {
        OutagePrediction outage = OutagePredictionTest.rehearsal(1_000_000, 0);

        String svg = TimelineSvg.render(outage, "Migration m-1 <rehearsal> & co");
        Document document = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));

        assertThat(document.getDocumentElement().getTagName()).isEqualTo("svg");
        NodeList titles = document.getElementsByTagName("title");
        assertThat(titles.item(0).getTextContent()).isEqualTo("Migration m-1 <rehearsal> & co");
        // the waits between steps are gaps between bars, not a bar
        assertThat(barTitles(document)).hasSize(outage.parts().size() - 1);
        assertThat(svg)
                .contains("outage window: 4 min 20 s (predicted)")
                .contains("dump: 10.0 s, measured")
                .contains("scale-up: 2 min 00 s, assumed");
    }

    @Test
    void an_assumed_freeze_comes_first_and_assumed_steps_follow_the_last_measured_one() throws Exception {
        OutagePrediction outage = OutagePredictionTest.rehearsal(1_000_000, 0);
        String svg = TimelineSvg.render(outage, "t");

        assertThat(xOf(svg, "freeze:")).isLessThan(xOf(svg, "dump:"));
        assertThat(xOf(svg, "validate:")).isLessThan(xOf(svg, "alembic-run:"));
        assertThat(xOf(svg, "alembic-run:")).isLessThan(xOf(svg, "scale-up:"));
    }

    @Test
    void ticks_fall_on_round_steps() {
        assertThat(TimelineSvg.tickStep(50)).isEqualTo(10);
        assertThat(TimelineSvg.tickStep(260)).isEqualTo(60);
        assertThat(TimelineSvg.tickStep(5 * 3600)).isEqualTo(3600);
    }

    private static java.util.List<String> barTitles(Document document) {
        java.util.List<String> titles = new java.util.ArrayList<>();
        NodeList rects = document.getElementsByTagName("rect");
        for (int i = 0; i < rects.getLength(); i++) {
            Element rect = (Element) rects.item(i);
            NodeList inner = rect.getElementsByTagName("title");
            if (inner.getLength() > 0) {
                titles.add(inner.item(0).getTextContent());
            }
        }
        return titles;
    }

    /** The x of the bar whose tooltip starts with {@code label}. */
    private static double xOf(String svg, String label) {
        int title = svg.indexOf("<title>" + label);
        int rect = svg.lastIndexOf("<rect x=\"", title);
        String x = svg.substring(rect + 9, svg.indexOf('"', rect + 9));
        return Double.parseDouble(x);
    }
}
