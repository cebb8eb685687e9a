package dev.ferry.core.config;

import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Booleans as strict as the README promises: SmallRye's own converter reads any unknown word as false, so
 * {@code FERRY_RESTORE_CLEAN=maybe} would silently mean "no". Only the spellings Quarkus documents are
 * accepted; anything else fails the boot, which the launcher reports as exit 2 naming the variable.
 */
public final class StrictBooleanConverter implements Converter<Boolean> {

    private static final long serialVersionUID = 1L;
    private static final Set<String> TRUE = Set.of("true", "1", "yes", "y", "on");
    private static final Set<String> FALSE = Set.of("false", "0", "no", "n", "off");

    @Override
    public Boolean convert(String value) {
        String normalised = value.strip().toLowerCase(Locale.ROOT);
        if (TRUE.contains(normalised)) {
            return Boolean.TRUE;
        }
        if (FALSE.contains(normalised)) {
            return Boolean.FALSE;
        }
        if (normalised.isEmpty()) {
            return null; // unset: the @WithDefault applies
        }
        throw new IllegalArgumentException("use true or false");
    }
}
