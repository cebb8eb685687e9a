package dev.ferry.validate;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How one compared item came out. */
public enum Verdict {
    @JsonProperty("match")
    MATCH,
    /** Different, but not a reason to fail (see the README: a newer extension version on the target). */
    @JsonProperty("warning")
    WARNING,
    @JsonProperty("mismatch")
    MISMATCH;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
