package dev.ferry.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StrictBooleanConverterTest {

    private final StrictBooleanConverter converter = new StrictBooleanConverter();

    @Test
    void readsTheSpellingsQuarkusDocuments() {
        for (String yes : new String[] {"true", "TRUE", " on ", "1", "yes", "Y"}) {
            assertThat(converter.convert(yes)).as(yes).isTrue();
        }
        for (String no : new String[] {"false", "False", "off", "0", "no", "n"}) {
            assertThat(converter.convert(no)).as(no).isFalse();
        }
    }

    @Test
    void anyOtherWordIsAnErrorNotFalse() {
        for (String word : new String[] {"maybe", "ture", "2", "enabled"}) {
            assertThatThrownBy(() -> converter.convert(word))
                    .as(word)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("use true or false");
        }
    }
}
