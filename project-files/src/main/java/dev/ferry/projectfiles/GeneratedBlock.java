package dev.ferry.projectfiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A generated part of a Markdown file, between a begin and an end comment, that a test compares with what the
 * code or YAML generates now. Run with {@code -Dferry.docs.update=true} the test rewrites the part instead of
 * failing (fix locally, verify in CI), the way the settings tables are kept.
 *
 * @param name names the block in its markers, e.g. {@code task-tables}
 * @param source what the block is generated from, shown in its begin marker
 * @param update the command that rewrites the block, shown in its begin marker
 */
public record GeneratedBlock(String name, String source, String update) {

    public static final String UPDATE_PROPERTY = "ferry.docs.update";

    /** A block the tests rewrite with {@code ./mvnw test -Dferry.docs.update=true}. */
    public GeneratedBlock(String name, String source) {
        this(name, source, "./mvnw test -D" + UPDATE_PROPERTY + "=true");
    }

    /** The comment that opens the block. */
    public String begin() {
        return "<!-- " + name + ":generated from " + source + "; update: " + update + " -->";
    }

    /** The comment that closes the block. */
    public String end() {
        return "<!-- " + name + ":end-generated -->";
    }

    /** The block as the file must hold it, markers included. */
    public String render(String generated) {
        return begin() + "\n" + generated + (generated.endsWith("\n") ? "" : "\n") + end();
    }

    /** Whether {@code text} holds this block's markers in order. */
    public boolean isIn(String text) {
        int begin = text.indexOf(begin());
        return begin >= 0 && text.indexOf(end(), begin) > begin;
    }

    /** {@code text} with the block's content replaced by {@code generated}; the markers must be there. */
    public String replaceIn(String text, String generated) {
        int begin = text.indexOf(begin());
        int end = text.indexOf(end(), begin);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("no " + begin() + " … " + end() + " block");
        }
        return text.substring(0, begin) + render(generated) + text.substring(end + end().length());
    }

    /**
     * Compares the block in {@code file} with {@code generated}: what is wrong, or empty. With
     * {@value #UPDATE_PROPERTY}=true the block is rewritten instead and nothing is reported.
     */
    public Optional<String> check(Path file, String generated) {
        String text = read(file);
        if (!isIn(text)) {
            return Optional.of(file + " has no generated block (" + begin() + " … " + end() + ")");
        }
        String updated = replaceIn(text, generated);
        if (updated.equals(text)) {
            return Optional.empty();
        }
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            write(file, updated);
            return Optional.empty();
        }
        return Optional.of(file + ": the " + name + " block differs from " + source
                + "; run ./mvnw test -D" + UPDATE_PROPERTY + "=true to regenerate it. Expected:\n"
                + render(generated));
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
