package dev.ferry.harness;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tekton's variable substitution: {@code $(params.x)}, {@code $(tasks.t.results.r)},
 * {@code $(workspaces.w.path)}, {@code $(results.r.path)}, {@code $(context.…)}. A Tekton variable
 * that has no value is an error, as a controller would reject the run; anything else in
 * {@code $(…)} (a container's {@code $(ENV_VAR)}) is left for {@link ContainerEnvExpansion}.
 */
final class Variables {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\(([^)]+)\\)");
    private static final Pattern TEKTON_VARIABLE = Pattern.compile("(params|tasks|workspaces|results|context)\\..+");

    private final Map<String, String> values;

    Variables(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    Variables with(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(values);
        all.putAll(more);
        return new Variables(all);
    }

    String apply(String text) {
        Matcher matcher = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = normalise(matcher.group(1).trim());
            String value = values.get(name);
            if (value == null && TEKTON_VARIABLE.matcher(name).matches()) {
                throw new UnresolvedVariable(name);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : matcher.group()));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** {@code params["x"]} and {@code params['x']} are the same variable as {@code params.x}. */
    private static String normalise(String name) {
        return name.replaceAll("\\[[\"']([^\"']+)[\"']]", ".$1");
    }

    /** A Tekton variable that has no value here; {@link #name()} says which. */
    static final class UnresolvedVariable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String name;

        UnresolvedVariable(String name) {
            super("$(" + name + ") has no value");
            this.name = name;
        }

        String name() {
            return name;
        }
    }

    /**
     * A string param's default. An array or object default would read as {@code ""} here, which is not what Tekton
     * substitutes: refused, so a pipeline using one fails loudly instead of running with an empty value.
     */
    static String stringDefault(com.fasterxml.jackson.databind.JsonNode param) {
        com.fasterxml.jackson.databind.JsonNode value = param.path("default");
        if (value.isContainerNode()) {
            throw new IllegalArgumentException("param " + param.path("name").asText()
                    + " has an array or object default, which the local harness does not model");
        }
        return value.asText();
    }
}
