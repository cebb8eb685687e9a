package dev.ferry.core;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.smallrye.config.ConfigValidationException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts a step's Quarkus application and exits with the step's code. A configuration value that
 * cannot even be converted (say {@code FERRY_DUMP_JOBS=many}) fails while Quarkus boots, before the
 * step runs; that is still bad configuration, so it exits 2 rather than 1.
 */
public final class StepLauncher {

    private StepLauncher() {}

    public static void launch(Class<? extends QuarkusApplication> step, String... args) {
        Quarkus.run(
                step,
                (exitCode, failure) -> {
                    int code = exitCode;
                    if (failure != null && isConfigurationProblem(failure)) {
                        System.err.println("ferry: bad configuration: " + describe(failure));
                        code = ExitCode.BAD_CONFIGURATION.code();
                    }
                    System.exit(code);
                },
                args);
    }

    static boolean isConfigurationProblem(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String type = t.getClass().getName();
            if (type.contains("ConfigValidationException")
                    || type.contains("NoSuchElementException")
                    || (t instanceof IllegalArgumentException
                            && String.valueOf(t.getMessage()).contains("SRCFG"))) {
                return true;
            }
        }
        return false;
    }

    private static final Pattern PROPERTY = Pattern.compile("property ([a-z0-9.\\-\"]+)");

    /** One line naming the environment variable to fix, e.g. {@code POSTGRES_PORT: value "abc" is not a number}. */
    static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConfigValidationException invalid && invalid.getProblemCount() > 0) {
                return withEnvVarName(firstLine(invalid.getProblem(0).getMessage()));
            }
        }
        return withEnvVarName(firstLine(rootMessage(failure)));
    }

    /** SmallRye names the property (postgres.port); users set the env var (POSTGRES_PORT). */
    static String withEnvVarName(String message) {
        Matcher property = PROPERTY.matcher(message);
        if (!property.find()) {
            return message;
        }
        String envVar = property.group(1).replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
        return "set " + envVar + " correctly: " + message;
    }

    private static String rootMessage(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
