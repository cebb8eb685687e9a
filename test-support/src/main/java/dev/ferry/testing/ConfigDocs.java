package dev.ferry.testing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The settings tables of the READMEs, generated from the {@link ConfigMapping} interfaces a step injects:
 * the env var from the property name, the default from {@link WithDefault}, the meaning from the Javadoc
 * (read from the interface's source, where Javadoc lives). A README keeps its table between
 * {@value #BEGIN} and {@value #END}; a test compares it with the generated one and, run with
 * {@code -Dferry.docs.update=true}, rewrites it (fix locally, verify in CI).
 */
public final class ConfigDocs {

    public static final String BEGIN =
            "<!-- settings:generated from the step's @ConfigMapping interfaces; update: ./mvnw test -Dferry.docs.update=true -->";
    public static final String END = "<!-- settings:end-generated -->";
    public static final String UPDATE_PROPERTY = "ferry.docs.update";

    /** Accessors of these types may stay unset: SmallRye Config gives them an empty value, not an error. */
    private static final Set<Class<?>> OPTIONAL_TYPES = Set.of(Optional.class, OptionalInt.class, OptionalLong.class);

    /** A Javadoc comment, then annotations, then an accessor {@code Type name();}. */
    private static final Pattern ACCESSOR = Pattern.compile(
            "/\\*\\*(?<doc>(?:(?!\\*/).)*)\\*/\\s*(?<annotations>(?:@[\\w.]+(?:\\((?:[^()\"]|\"(?:[^\"\\\\]|\\\\.)*\")*\\))?\\s*)*)"
                    + "[\\w.<>?,\\[\\] ]+?\\s+(?<name>\\w+)\\(\\)\\s*;",
            Pattern.DOTALL);

    private static final Pattern ENV_VAR_LEAD = Pattern.compile("^[A-Z][A-Z0-9_]*:\\s*");

    private ConfigDocs() {}

    /** One documented setting: its env var, default column and meaning, as the table shows them. */
    public record Setting(String envVar, String defaultValue, String meaning) {}

    /** Every env var the mapping reads, e.g. {@code FERRY_DUMP_FORMAT} for {@code ferry.dump.format}. */
    public static List<String> envVars(Class<?> mapping) {
        return settings(mapping).stream().map(Setting::envVar).toList();
    }

    /** The {@link ConfigMapping} interfaces a step's command injects, in the order it declares them. */
    public static List<Class<?>> mappingsOf(Class<?> command) {
        List<Class<?>> mappings = new ArrayList<>();
        collectMappings(command, mappings);
        if (mappings.isEmpty()) {
            throw new IllegalArgumentException(command + " injects no @ConfigMapping");
        }
        // Shared settings first (core, then the boundaries), the step's own last: every table reads the same way.
        mappings.sort(java.util.Comparator.comparingInt(m -> m.getPackageName().startsWith("dev.ferry.core")
                ? 0
                : m.getPackageName().equals(command.getPackageName()) ? 2 : 1));
        return mappings;
    }

    /** Mappings injected into {@code bean}, and into the Ferry beans it injects (a boundary's own settings). */
    private static void collectMappings(Class<?> bean, List<Class<?>> mappings) {
        for (Class<?> type = bean; type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                Class<?> injected = field.getType();
                if (!field.isAnnotationPresent(Inject.class)) {
                    continue;
                }
                if (injected.isAnnotationPresent(ConfigMapping.class)) {
                    if (!mappings.contains(injected)) {
                        mappings.add(injected);
                    }
                } else if (!injected.isInterface() && injected.getPackageName().startsWith("dev.ferry")) {
                    collectMappings(injected, mappings);
                }
            }
        }
    }

    /** The env vars of every mapping {@code command} injects. */
    public static List<String> envVarsOf(Class<?> command) {
        return mappingsOf(command).stream().flatMap(m -> envVars(m).stream()).toList();
    }

    /** The settings of one mapping in source order, with Javadoc from its source file. */
    public static List<Setting> settings(Class<?> mapping) {
        ConfigMapping annotation = mapping.getAnnotation(ConfigMapping.class);
        if (annotation == null) {
            throw new IllegalArgumentException(mapping + " is not a @ConfigMapping");
        }
        Map<String, String> javadoc = javadocByAccessor(mapping);
        List<Setting> settings = new ArrayList<>();
        for (Map.Entry<String, String> accessor : javadoc.entrySet()) {
            Method method;
            try {
                method = mapping.getMethod(accessor.getKey());
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(mapping.getName() + " has no accessor " + accessor.getKey(), e);
            }
            if (method.isDefault() || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            String envVar = propertyName(method, annotation.prefix())
                    .replaceAll("[^A-Za-z0-9]", "_")
                    .toUpperCase(Locale.ROOT);
            WithDefault withDefault = method.getAnnotation(WithDefault.class);
            String defaultValue = withDefault != null
                    ? "`" + withDefault.value() + "`"
                    : OPTIONAL_TYPES.contains(method.getReturnType()) ? "unset" : "required";
            settings.add(new Setting(envVar, defaultValue, meaning(accessor.getValue())));
        }
        for (Method method : mapping.getMethods()) {
            if (!method.isDefault()
                    && !Modifier.isStatic(method.getModifiers())
                    && method.getParameterCount() == 0
                    && !javadoc.containsKey(method.getName())) {
                throw new IllegalStateException(mapping.getName() + "." + method.getName()
                        + "() has no Javadoc: every setting is documented where it is declared");
            }
        }
        return settings;
    }

    /** The Markdown table of every setting {@code command} reads. */
    public static String table(Class<?> command) {
        return table(mappingsOf(command));
    }

    /** The Markdown table of these mappings' settings, in this order. */
    public static String table(List<Class<?>> mappings) {
        StringBuilder table = new StringBuilder("| Env var | Default | Meaning |\n| --- | --- | --- |\n");
        for (Class<?> mapping : mappings) {
            for (Setting setting : settings(mapping)) {
                table.append("| `")
                        .append(setting.envVar())
                        .append("` | ")
                        .append(setting.defaultValue())
                        .append(" | ")
                        .append(setting.meaning().replace("|", "\\|"))
                        .append(" |\n");
            }
        }
        return table.toString();
    }

    /** {@link #checkGenerated} with the table of every setting {@code command} reads. */
    public static Optional<String> checkReadme(Path readme, Class<?> command) {
        return checkGenerated(readme, table(command));
    }

    /**
     * Compares the README's generated block with {@code generated}; returns what is wrong, or empty. With
     * {@value #UPDATE_PROPERTY}=true the block is rewritten instead and nothing is reported.
     */
    public static Optional<String> checkGenerated(Path readme, String generated) {
        try {
            String text = Files.readString(readme, StandardCharsets.UTF_8);
            int begin = text.indexOf(BEGIN);
            int end = text.indexOf(END);
            if (begin < 0 || end < begin) {
                return Optional.of(readme + " has no generated settings block (" + BEGIN + " … " + END + ")");
            }
            String expected = BEGIN + "\n" + generated + END;
            String actual = text.substring(begin, end + END.length());
            if (actual.equals(expected)) {
                return Optional.empty();
            }
            if (Boolean.getBoolean(UPDATE_PROPERTY)) {
                Files.writeString(
                        readme,
                        text.substring(0, begin) + expected + text.substring(end + END.length()),
                        StandardCharsets.UTF_8);
                return Optional.empty();
            }
            return Optional.of(readme + " settings table differs from the @ConfigMapping Javadoc; run "
                    + "./mvnw test -Dferry.docs.update=true to regenerate it. Expected:\n" + expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> javadocByAccessor(Class<?> mapping) {
        Path source = sourceOf(mapping);
        String text;
        try {
            text = Files.readString(source, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Only the mapping's own body: nested enums and records carry Javadoc of their own.
        int body = text.indexOf("interface " + mapping.getSimpleName());
        Map<String, String> docs = new LinkedHashMap<>();
        Matcher accessor = ACCESSOR.matcher(text);
        int from = body;
        while (accessor.find(from)) {
            if (accessor.group("annotations").contains("@ConfigMapping")) {
                from = accessor.end();
                continue;
            }
            docs.put(accessor.group("name"), accessor.group("doc"));
            from = accessor.end();
        }
        return docs;
    }

    /** Javadoc to one Markdown line: no leading env var, {@code x} as code, links as their last name, HTML tags dropped. */
    static String meaning(String javadoc) {
        String text = javadoc.replaceAll("(?m)^\\s*\\*", " ")
                .replaceAll("</?(?:p|em|b|i|ul|ol|li|br)\\s*/?>", " ")
                .replaceAll("\\s+", " ")
                .strip();
        text = ENV_VAR_LEAD.matcher(text).replaceFirst("");
        text = text.replaceAll("\\{@code ([^}]*)}", "`$1`");
        text = text.replaceAll("\\{@(?:link|linkplain) (?:[\\w.]*\\.)?([\\w#]+)(?: [^}]*)?}", "`$1`")
                .replace('#', '.');
        text = text.replaceAll("\\{@value (?:[\\w.]*\\.)?([\\w#]+)}", "`$1`");
        return text;
    }

    private static Path sourceOf(Class<?> type) {
        Class<?> top = type;
        while (top.getEnclosingClass() != null) {
            top = top.getEnclosingClass();
        }
        String relative = "src/main/java/" + top.getName().replace('.', '/') + ".java";
        Path root = repositoryRoot();
        try (Stream<Path> modules =
                Stream.concat(Stream.of(root), Stream.concat(list(root.resolve("steps")), list(root)))) {
            return modules.map(module -> module.resolve(relative))
                    .filter(Files::isRegularFile)
                    .findFirst()
                    .orElseThrow(
                            () -> new IllegalStateException("no source " + relative + " in any module under " + root));
        }
    }

    private static Stream<Path> list(Path folder) {
        try {
            return Files.isDirectory(folder)
                    ? Files.list(folder).filter(Files::isDirectory).toList().stream()
                    : Stream.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The checkout's root: the nearest folder up from the working directory that holds {@code mvnw}. */
    public static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no mvnw above " + Path.of("").toAbsolutePath());
    }

    private static String propertyName(Method method, String prefix) {
        if (method.isAnnotationPresent(WithParentName.class)) {
            return prefix;
        }
        WithName withName = method.getAnnotation(WithName.class);
        String name = withName != null ? withName.value() : kebab(method.getName());
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
