package dev.ferry.docs;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.workspace.JsonCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * docs/reference/manifest.md: the fields of manifest.json as the steps' own JSON mapper writes and reads them,
 * from {@link Manifest} and the records it holds, each record described by its Javadoc.
 */
final class ManifestFormatReference {

    private static final ObjectMapper MAPPER = JsonCodec.mapper();

    private ManifestFormatReference() {}

    static String generate() {
        StringBuilder out =
                new StringBuilder("`formatVersion` this build writes: " + Manifest.FORMAT_VERSION + ".\n\n");
        Deque<Class<?>> queue = new ArrayDeque<>(Set.of(Manifest.class));
        Set<Class<?>> done = new LinkedHashSet<>();
        while (!queue.isEmpty()) {
            Class<?> type = queue.removeFirst();
            if (!done.add(type)) {
                continue;
            }
            out.append("### `").append(title(type)).append("`\n\n");
            String doc = classJavadoc(type);
            if (!doc.isEmpty()) {
                out.append(doc).append("\n\n");
            }
            out.append("| Field | JSON type |\n| --- | --- |\n");
            BeanDescription bean = MAPPER.getSerializationConfig().introspect(MAPPER.constructType(type));
            for (BeanPropertyDefinition property : bean.findProperties()) {
                if (!property.couldSerialize()) {
                    continue;
                }
                out.append("| `")
                        .append(property.getName())
                        .append("` | ")
                        .append(jsonType(property.getPrimaryType(), queue))
                        .append(" |\n");
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String jsonType(JavaType type, Deque<Class<?>> queue) {
        Class<?> raw = type.getRawClass();
        if (type.isCollectionLikeType()) {
            return "array of " + jsonType(type.getContentType(), queue);
        }
        if (type.isMapLikeType()) {
            return "object: string to " + jsonType(type.getContentType(), queue);
        }
        if (raw == String.class) {
            return "string";
        }
        if (raw == Instant.class) {
            return "string (ISO-8601 instant)";
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return "boolean";
        }
        if (raw.isPrimitive() || Number.class.isAssignableFrom(raw)) {
            return "number";
        }
        if (raw.isEnum()) {
            return "string: "
                    + Arrays.stream(raw.getEnumConstants())
                            .map(c -> "`" + MAPPER.valueToTree(c).asText() + "`")
                            .collect(Collectors.joining(", "));
        }
        if (raw.isRecord()) {
            queue.addLast(raw);
            return "object ([`" + title(raw) + "`](#" + anchor(raw) + "))";
        }
        throw new IllegalStateException("no JSON type for " + type + ": teach ManifestFormatReference about it");
    }

    private static String title(Class<?> type) {
        return type.getEnclosingClass() == null
                ? type.getSimpleName()
                : type.getEnclosingClass().getSimpleName() + "." + type.getSimpleName();
    }

    private static String anchor(Class<?> type) {
        return title(type).toLowerCase(Locale.ROOT).replace(".", "");
    }

    /** The Javadoc right above {@code record Name(} in the type's source file. */
    private static String classJavadoc(Class<?> type) {
        Class<?> top = type;
        while (top.getEnclosingClass() != null) {
            top = top.getEnclosingClass();
        }
        Path source = sourceOf(top);
        String text = Reference.read(source);
        Matcher m = Pattern.compile(
                        "/\\*\\*((?:(?!\\*/).)*)\\*/\\s*(?:@[\\w.]+(?:\\([^)]*\\))?\\s*)*public record "
                                + type.getSimpleName() + "\\(",
                        Pattern.DOTALL)
                .matcher(text);
        return m.find() ? Reference.javadoc(m.group(1)) : "";
    }

    private static Path sourceOf(Class<?> top) {
        String relative = "src/main/java/" + top.getName().replace('.', '/') + ".java";
        try (Stream<Path> modules = Files.list(Reference.root().resolve("steps"))) {
            return modules.map(m -> m.resolve(relative))
                    .filter(Files::isRegularFile)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no source " + relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
