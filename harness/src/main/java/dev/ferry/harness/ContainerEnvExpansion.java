package dev.ferry.harness;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes' own expansion of {@code $(VAR)} in a container's command and args from its env:
 * {@code $$(VAR)} stays literal {@code $(VAR)}, an unknown variable stays as written.
 */
final class ContainerEnvExpansion {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private ContainerEnvExpansion() {}

    static String expand(String text, Map<String, String> env) {
        Matcher matcher = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String replacement = matcher.group(1) == null ? "$" : env.getOrDefault(matcher.group(1), matcher.group());
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
