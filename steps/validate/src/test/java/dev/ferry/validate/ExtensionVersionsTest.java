package dev.ferry.validate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExtensionVersionsTest {

    @Test
    void dotted_numbers_compare_numerically_part_by_part() {
        assertThat(ExtensionVersions.compare("1.10", "1.6"))
                .hasValueSatisfying(c -> assertThat(c).isPositive());
        assertThat(ExtensionVersions.compare("1.6", "1.6.1"))
                .hasValueSatisfying(c -> assertThat(c).isNegative());
        assertThat(ExtensionVersions.compare("1.3", "1.3.0")).hasValue(0);
    }

    @Test
    void other_version_strings_are_not_ordered() {
        assertThat(ExtensionVersions.compare("1.0beta", "1.0")).isEmpty();
    }
}
