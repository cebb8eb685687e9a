package dev.ferry.validate;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the validate step (env vars {@code FERRY_VALIDATE_*}); the target is {@code POSTGRES_*}. */
@ConfigMapping(prefix = "ferry.validate")
public interface ValidateConfig {

    /**
     * FERRY_VALIDATE_STRICT_EXTENSIONS: treat an extension that is newer on the target than in the
     * source, or present only on the target, as a mismatch instead of a warning.
     */
    @WithDefault("false")
    boolean strictExtensions();
}
