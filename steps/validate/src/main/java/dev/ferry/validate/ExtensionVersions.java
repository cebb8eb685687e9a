package dev.ferry.validate;

import java.util.Optional;

/**
 * Orders extension versions the way their authors number them ({@code 1.3} < {@code 1.10},
 * {@code 1.6} < {@code 1.6.1}). Versions that are not dotted numbers cannot be ordered.
 */
final class ExtensionVersions {

    private ExtensionVersions() {}

    /** Negative, zero or positive as {@code a} is older, equal or newer than {@code b}; empty when not comparable. */
    static Optional<Integer> compare(String a, String b) {
        if (!a.matches("\\d+(\\.\\d+)*") || !b.matches("\\d+(\\.\\d+)*")) {
            return Optional.empty();
        }
        String[] left = a.split("\\.");
        String[] right = b.split("\\.");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            long l = i < left.length ? Long.parseLong(left[i]) : 0;
            long r = i < right.length ? Long.parseLong(right[i]) : 0;
            if (l != r) {
                return Optional.of(Long.compare(l, r));
            }
        }
        return Optional.of(0);
    }
}
