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
 * step runs; that is still bad configuration, so it exits 2 with the same final line as every other
 * failure, naming the variable and what it accepts. Any other failure before the step's own code runs
 * (a read-only {@code /tmp}, a class that cannot load) exits 1 with one line naming the step and the
 * cause: a step never ends without saying why.
 */
public final class StepLauncher {

    /** SmallRye's conversion failure: the property, its value, then the converter's own words. */
    private static final Pattern CONVERSION = Pattern.compile(
            "The config property (\\S+) with the config value \"(.*?)\" threw an Exception whilst being converted ?(.*)");

    private static final Pattern PROPERTY = Pattern.compile("property ([a-z0-9.\\-\"]+)");
    private static final Pattern ERROR_CODE = Pattern.compile("SRCFG\\d+: ");
    private static final Pattern ENUM_VALUES = Pattern.compile("allowed values: (.*)");
    private static final int SHOWN_VALUE_LENGTH = 40;

    private StepLauncher() {}

    public static void launch(Class<? extends QuarkusApplication> step, String... args) {
        try {
            Quarkus.run(step, (exitCode, failure) -> System.exit(exitCode(step, exitCode, failure)), args);
        } catch (RuntimeException | Error beforeQuarkus) {
            System.exit(exitCode(step, ExitCode.UNEXPECTED.code(), beforeQuarkus));
        }
    }

    /**
     * The exit code of a step whose application ended with {@code exitCode} and, when it never got to run,
     * {@code failure}; a failure also writes the final line, to stderr, since logging may not have started.
     */
    static int exitCode(Class<?> step, int exitCode, Throwable failure) {
        if (failure == null) {
            return exitCode;
        }
        ExitCode code = isConfigurationProblem(failure) ? ExitCode.BAD_CONFIGURATION : ExitCode.UNEXPECTED;
        System.err.println(finalLine(step, code, failure));
        System.err.flush();
        return code.code();
    }

    static String finalLine(Class<?> step, ExitCode code, Throwable failure) {
        String cause =
                code == ExitCode.BAD_CONFIGURATION ? describe(failure) : "could not start: " + startUpCause(failure);
        return "step=" + StepCommand.nameOf(step) + " outcome=failed exit=" + code.code() + " (" + code.meaning()
                + "): " + cause;
    }

    /** The innermost cause with its type, the one a person can act on ("Read-only file system: /tmp/…"). */
    static String startUpCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + firstLine(root.getMessage());
        return root.getClass().getName() + message;
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

    /** One line naming the environment variable to fix, e.g. {@code POSTGRES_PORT is "abc": use a whole number}. */
    static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConfigValidationException invalid && invalid.getProblemCount() > 0) {
                return explain(firstLine(invalid.getProblem(0).getMessage()));
            }
        }
        return explain(firstLine(rootMessage(failure)));
    }

    /** SmallRye's message in the user's terms: the env var, the value, what is allowed; no codes or class names. */
    static String explain(String message) {
        Matcher conversion = CONVERSION.matcher(message);
        if (conversion.find()) {
            String value = conversion.group(2);
            String shown = value.length() > SHOWN_VALUE_LENGTH ? value.substring(0, SHOWN_VALUE_LENGTH) + "…" : value;
            return envVar(conversion.group(1)) + " is \"" + shown + "\": " + allowed(conversion.group(3));
        }
        Matcher property = PROPERTY.matcher(message);
        String plain = ERROR_CODE.matcher(message).replaceAll("");
        return property.find() ? "set " + envVar(property.group(1)) + " correctly: " + plain : plain;
    }

    private static String allowed(String converterSaid) {
        String detail = ERROR_CODE.matcher(converterSaid).replaceAll("").strip();
        Matcher values = ENUM_VALUES.matcher(detail);
        if (values.find()) {
            return "use one of " + String.join(", ", values.group(1).split(","));
        }
        if (detail.startsWith("Expected an integer value")) {
            return "use a whole number";
        }
        if (detail.startsWith("Invalid duration")) {
            return "use a duration such as 30s, 5m or PT6H";
        }
        return detail.isEmpty() ? "not a valid value" : detail;
    }

    /** SmallRye names the property (postgres.port); users set the env var (POSTGRES_PORT). */
    private static String envVar(String property) {
        return property.replace("\"", "").replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
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
