package dev.ferry.core.testing;

import dev.ferry.core.StepCommand;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.inject.Inject;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.formatters.PatternFormatter;

/**
 * Runs a step's command in the test's own JVM, the way its Quarkus main does but without booting
 * Quarkus: settings come from a map of env vars through the same {@code @ConfigMapping}s, and the
 * outcome is the exit code plus the log lines the user would read. Fast enough to test every exit
 * code with its message.
 */
public final class InProcessStep {

    /** The message with its parameters filled in, as the console shows it without the timestamp and level. */
    private static final PatternFormatter MESSAGE_ONLY = new PatternFormatter("%s");

    private InProcessStep() {}

    /** {@code base} with {@code overrides} ({@code NAME, value, NAME, value…}) put over it, as a new mutable map. */
    public static Map<String, String> with(Map<String, String> base, String... overrides) {
        Map<String, String> env = new java.util.HashMap<>(base);
        for (int i = 0; i < overrides.length; i += 2) {
            env.put(overrides[i], overrides[i + 1]);
        }
        return env;
    }

    /** The mapping {@code type} as the step would see it with exactly these env vars set. */
    public static <T> T config(Class<T> type, Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDiscoveredConverters() // the strict booleans of core, as in the step program
                .withSources(new EnvConfigSource(env, 300))
                // Quarkus's own converter, so "5s" and "PT5S" both work as they do in the step program.
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(type)
                .build();
        return config.getConfigMapping(type);
    }

    /**
     * {@code command} with every {@code @ConfigMapping} it injects read from {@code env}, as Quarkus would
     * inject them, also inside the boundary beans it injects (Cluster, ObjectStore); anything else (a
     * Kubernetes client) stays for the test to set.
     */
    public static <C extends StepCommand> C configured(C command, Map<String, String> env) {
        inject(command, env);
        return command;
    }

    /** Sets {@code bean}'s injected mappings, and those of the Ferry beans it injects (created here as CDI would). */
    private static void inject(Object bean, Map<String, String> env) {
        for (Class<?> type = bean.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                Class<?> injected = field.getType();
                if (!field.isAnnotationPresent(Inject.class)) {
                    continue;
                }
                try {
                    field.setAccessible(true);
                    if (injected.isAnnotationPresent(ConfigMapping.class)) {
                        field.set(bean, config(injected, env));
                    } else if (!injected.isInterface()
                            && injected.getPackageName().startsWith("dev.ferry")) {
                        var constructor = injected.getDeclaredConstructor();
                        constructor.setAccessible(true);
                        Object dependency = constructor.newInstance();
                        inject(dependency, env);
                        field.set(bean, dependency);
                    }
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot set " + field, e);
                }
            }
        }
    }

    /** What the user saw: the exit code and every log line of Ferry's loggers, the outcome line last. */
    public record Outcome(int exitCode, List<String> lines) {
        public String lastLine() {
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }

        public String output() {
            return String.join("\n", lines);
        }
    }

    public static Outcome run(StepCommand command, String... args) {
        List<String> lines = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (lines) {
                    lines.add(MESSAGE_ONLY.format(record));
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        capture.setLevel(Level.ALL);
        Logger ferry = Logger.getLogger("dev.ferry");
        ferry.addHandler(capture);
        try {
            int exitCode = command.run(args);
            synchronized (lines) {
                return new Outcome(exitCode, List.copyOf(lines));
            }
        } finally {
            ferry.removeHandler(capture);
        }
    }
}
