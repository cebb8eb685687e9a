package dev.ferry.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Small read-only views of YAML trees that both the Tekton and the Argo checks need. */
public final class Nodes {

    private Nodes() {}

    /** Every string value below a node, where variable references can hide. */
    static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        collect(node, out);
        return out;
    }

    private static void collect(JsonNode node, List<String> out) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            out.add(node.asText());
        } else if (node.isContainerNode()) {
            node.forEach(child -> collect(child, out));
        }
    }

    /** The {@code name} of every element of an array node, in order. */
    public static Set<String> names(JsonNode array) {
        return byName(array).keySet();
    }

    /** The elements of an array node keyed by their {@code name}. */
    static Map<String, JsonNode> byName(JsonNode array) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (array != null && array.isArray()) {
            array.forEach(item -> out.put(item.path("name").asText(""), item));
        }
        return out;
    }

    /** The elements of an array node, or none when it is missing. */
    public static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(out::add);
        }
        return out;
    }

    /** Text values of an array of strings. */
    static Set<String> texts(JsonNode array) {
        Set<String> out = new LinkedHashSet<>();
        list(array).forEach(n -> out.add(n.asText()));
        return out;
    }
}
