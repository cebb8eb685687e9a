package dev.ferry.projectfiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads every YAML document with a {@code kind} from files and folders, multi-document files included. */
public final class ManifestFiles {

    private static final YAMLMapper YAML = new YAMLMapper();

    private ManifestFiles() {}

    /** All documents under the given folders of {@code root} (folders that do not exist are skipped). */
    public static List<ManifestDocument> load(Path root, List<String> folders) {
        List<ManifestDocument> documents = new ArrayList<>();
        for (String folder : folders) {
            Path dir = root.resolve(folder);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(ManifestFiles::isYaml).sorted().toList()) {
                    documents.addAll(parse(root.relativize(file), Files.readString(file)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return documents;
    }

    /** The documents of one YAML text; {@code file} only names them in findings. */
    public static List<ManifestDocument> parse(Path file, String yaml) {
        List<ManifestDocument> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node != null && node.hasNonNull("kind")) {
                    documents.add(new ManifestDocument(file, node));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not valid YAML: " + file, e);
        }
        return documents;
    }

    private static boolean isYaml(Path file) {
        String name = file.getFileName().toString();
        return Files.isRegularFile(file) && (name.endsWith(".yaml") || name.endsWith(".yml"));
    }
}
