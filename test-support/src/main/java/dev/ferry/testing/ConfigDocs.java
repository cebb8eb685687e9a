package dev.ferry.testing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Keeps the README honest: lists the environment variables a {@link ConfigMapping} reads, so a
 * test can demand that the step's README documents every one of them (the docs cannot drift).
 */
public final class ConfigDocs {

    private ConfigDocs() {
    }

    /** Every env var the mapping reads, e.g. {@code FERRY_DUMP_FORMAT} for {@code ferry.dump.format}. */
    public static List<String> envVars(Class<?> mapping) {
        ConfigMapping annotation = mapping.getAnnotation(ConfigMapping.class);
        if (annotation == null) {
            throw new IllegalArgumentException(mapping + " is not a @ConfigMapping");
        }
        List<String> names = new ArrayList<>();
        collect(mapping, annotation.prefix(), names);
        return names;
    }

    /** The env vars of these mappings that {@code readme} does not mention (empty when documented). */
    public static List<String> undocumented(Path readme, Class<?>... mappings) throws IOException {
        String text = Files.readString(readme);
        List<String> missing = new ArrayList<>();
        for (Class<?> mapping : mappings) {
            for (String envVar : envVars(mapping)) {
                if (!text.contains("`" + envVar + "`")) {
                    missing.add(envVar);
                }
            }
        }
        return missing;
    }

    private static void collect(Class<?> type, String prefix, List<String> names) {
        for (Method method : type.getMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            String key = propertyName(method, prefix);
            Class<?> valueType = valueType(method);
            if (valueType.isInterface() && valueType.getPackageName().startsWith("dev.ferry")) {
                collect(valueType, key, names);
            } else {
                names.add(key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT));
            }
        }
    }

    private static String propertyName(Method method, String prefix) {
        if (method.isAnnotationPresent(WithParentName.class)) {
            return prefix;
        }
        WithName withName = method.getAnnotation(WithName.class);
        String name = withName != null ? withName.value() : kebab(method.getName());
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    private static Class<?> valueType(Method method) {
        Type generic = method.getGenericReturnType();
        if (method.getReturnType() == Optional.class && generic instanceof ParameterizedType parameterized
                && parameterized.getActualTypeArguments()[0] instanceof Class<?> inner) {
            return inner;
        }
        return method.getReturnType();
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
