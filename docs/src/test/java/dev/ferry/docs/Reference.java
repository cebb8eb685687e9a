package dev.ferry.docs;

import dev.ferry.projectfiles.GeneratedBlock;
import dev.ferry.testing.ConfigDocs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the documentation lives, and the pieces the reference pages' generators share. */
final class Reference {

    private Reference() {}

    static Path root() {
        return ConfigDocs.repositoryRoot();
    }

    static Path docs(String page) {
        return root().resolve("docs").resolve(page);
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A page's generated block, named after what it is generated from. */
    static GeneratedBlock block(String name, String source) {
        return new GeneratedBlock(name, source);
    }

    /** One Markdown table cell: one line, pipes escaped. */
    static String cell(String text) {
        return text.strip().replaceAll("\\s+", " ").replace("|", "\\|");
    }

    /** Javadoc text as one Markdown line: {@code x} as code, links as their last name, tags dropped. */
    static String javadoc(String raw) {
        String text = raw.replaceAll("(?m)^\\s*\\*", " ")
                .replaceAll("</?(?:p|em|b|i|ul|ol|li|br)\\s*/?>", " ")
                .replaceAll("\\s+", " ")
                .strip();
        text = text.replaceAll("\\{@code ([^}]*)}", "`$1`");
        text = text.replaceAll("\\{@(?:link|linkplain) (?:[\\w.]*\\.)?([\\w#]+)(?: [^}]*)?}", "`$1`");
        return text.replaceAll("@param \\w+ ", "");
    }
}
