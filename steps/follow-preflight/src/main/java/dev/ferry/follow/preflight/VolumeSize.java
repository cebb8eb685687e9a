package dev.ferry.follow.preflight;

import dev.ferry.core.StepFailure;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A volume's size as Kubernetes writes it ({@code 10Gi}, {@code 500M}) or in plain bytes. */
final class VolumeSize {

    private static final Pattern QUANTITY = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGTP]i?|k)?B?");
    private static final Map<String, Long> UNITS = Map.ofEntries(
            Map.entry("", 1L),
            Map.entry("k", 1_000L),
            Map.entry("K", 1_000L),
            Map.entry("M", 1_000_000L),
            Map.entry("G", 1_000_000_000L),
            Map.entry("T", 1_000_000_000_000L),
            Map.entry("P", 1_000_000_000_000_000L),
            Map.entry("Ki", 1L << 10),
            Map.entry("Mi", 1L << 20),
            Map.entry("Gi", 1L << 30),
            Map.entry("Ti", 1L << 40),
            Map.entry("Pi", 1L << 50));

    private VolumeSize() {}

    /** Bytes; anything else is exit 2 naming the setting. */
    static long parse(String value, String envVar) {
        Matcher m = QUANTITY.matcher(value.strip());
        if (!m.matches()) {
            throw StepFailure.badConfiguration(envVar + " is \"" + value
                    + "\": use a size as the PersistentVolumeClaim gives it, e.g. 10Gi, 500Mi or 20G");
        }
        String unit = m.group(2) == null ? "" : m.group(2);
        double bytes = Double.parseDouble(m.group(1)) * UNITS.get(unit);
        if (bytes < 1 || bytes > Long.MAX_VALUE) {
            throw StepFailure.badConfiguration(envVar + " is \"" + value + "\": use a size above zero, e.g. 10Gi");
        }
        return (long) bytes;
    }
}
