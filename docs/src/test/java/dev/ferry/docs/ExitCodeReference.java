package dev.ferry.docs;

import dev.ferry.core.ExitCode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** docs/reference/exit-codes.md: the one exit-code table, from {@link ExitCode} and its Javadoc. */
final class ExitCodeReference {

    private static final Pattern CONSTANT =
            Pattern.compile("/\\*\\*((?:(?!\\*/).)*)\\*/\\s*(\\w+)\\(\\d+,", Pattern.DOTALL);

    private ExitCodeReference() {}

    static String generate() {
        String source =
                Reference.read(Reference.root().resolve("steps/core/src/main/java/dev/ferry/core/ExitCode.java"));
        Map<String, String> docs = new LinkedHashMap<>();
        Matcher m = CONSTANT.matcher(source);
        while (m.find()) {
            docs.put(m.group(2), Reference.javadoc(m.group(1)));
        }
        StringBuilder table = new StringBuilder(
                "| Code | Constant | The step's last line says | Meaning |\n| ---: | --- | --- | --- |\n");
        for (ExitCode code : ExitCode.values()) {
            String doc = docs.get(code.name());
            if (doc == null) {
                throw new IllegalStateException("ExitCode." + code.name() + " has no Javadoc");
            }
            String lastLine = code == ExitCode.DONE
                    ? "`step=<name> outcome=done seconds=<s> startup_seconds=<s> …`"
                    : "`step=<name> outcome=failed exit=" + code.code() + " (" + code.meaning() + "): <message>`";
            table.append("| ")
                    .append(code.code())
                    .append(" | `")
                    .append(code.name())
                    .append("` | ")
                    .append(lastLine)
                    .append(" | ")
                    .append(Reference.cell(doc))
                    .append(" |\n");
        }
        return table.toString();
    }
}
