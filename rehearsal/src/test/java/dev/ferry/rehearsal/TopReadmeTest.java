package dev.ferry.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.ConfigDocs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The top README's "Settings of every step" section is generated like the step READMEs' tables: one table
 * per {@code @ConfigMapping}, shared ones first, each saying which steps read it.
 */
class TopReadmeTest {

    /** The steps in the order a migration runs them. */
    static final List<String> STEPS =
            List.of("freeze", "dump", "upload", "download", "restore", "validate", "alembic-run", "scale-up");

    static String settingsSection() {
        Map<Class<?>, List<String>> readers = new LinkedHashMap<>();
        for (String step : STEPS) {
            for (Class<?> mapping : ConfigDocs.mappingsOf(TaskSettingsTest.COMMANDS.get(step))) {
                readers.computeIfAbsent(mapping, m -> new ArrayList<>()).add(step);
            }
        }
        StringBuilder section = new StringBuilder();
        // Shared mappings (read by more than one step) first, then each step's own, in run order.
        List<Map.Entry<Class<?>, List<String>>> ordered = new ArrayList<>(readers.entrySet());
        ordered.sort(
                (a, b) -> Boolean.compare(a.getValue().size() == 1, b.getValue().size() == 1));
        for (Map.Entry<Class<?>, List<String>> mapping : ordered) {
            section.append("#### `")
                    .append(mapping.getKey().getSimpleName())
                    .append("`: read by ")
                    .append(
                            mapping.getValue().size() == STEPS.size()
                                    ? "every step"
                                    : mapping.getValue().stream().collect(Collectors.joining(", ")))
                    .append("\n\n")
                    .append(ConfigDocs.table(List.of(mapping.getKey())))
                    .append('\n');
        }
        return section.toString();
    }

    @Test
    void theSettingsSectionIsTheOneTheMappingsGenerate() {
        assertThat(ConfigDocs.checkGenerated(ConfigDocs.repositoryRoot().resolve("README.md"), settingsSection()))
                .isEmpty();
    }

    @Test
    void everyStepProgramIsListed() {
        assertThat(TaskSettingsTest.COMMANDS.keySet()).containsExactlyInAnyOrderElementsOf(STEPS);
    }
}
