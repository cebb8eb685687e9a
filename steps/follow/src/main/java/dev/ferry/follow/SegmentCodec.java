package dev.ferry.follow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.postgresql.replication.LogSequenceNumber;

/**
 * A segment's bytes: gzip-compressed JSON lines (documented in the module's README). The first line is the header,
 * then one line per relation, then one line per transaction with its changes as compact arrays. A reader needs
 * nothing but the segment; gzip's CRC catches a damaged one.
 */
public final class SegmentCodec {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SegmentCodec() {}

    public static byte[] encode(Segment segment) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Writer out = new OutputStreamWriter(new GZIPOutputStream(bytes), StandardCharsets.UTF_8)) {
            ObjectNode header = NODES.objectNode()
                    .put("format", Segment.FORMAT)
                    .put("slot", segment.slot())
                    .put("previousEnd", segment.previousEnd().asString())
                    .put("end", segment.end().asString())
                    .put("cutAt", segment.cutAt().toString())
                    .put("transactions", segment.transactions().size())
                    .put("changes", segment.changes());
            segment.marker().ifPresent(marker -> header.put("marker", marker));
            line(out, header);
            for (RelationDef relation : segment.relations().values()) {
                ObjectNode node = NODES.objectNode()
                        .put("relation", relation.oid())
                        .put("schema", relation.schema())
                        .put("table", relation.table());
                relation.columns().forEach(node.putArray("columns")::add);
                relation.typeOids().forEach(node.putArray("types")::add);
                relation.key().forEach(node.putArray("key")::add);
                line(out, node);
            }
            for (CommittedTransaction transaction : segment.transactions()) {
                ObjectNode node = NODES.objectNode()
                        .put("xid", transaction.xid())
                        .put("commit", transaction.commit().asString())
                        .put("end", transaction.end().asString())
                        .put("at", transaction.committedAt().toString());
                ArrayNode changes = node.putArray("changes");
                transaction.changes().forEach(change -> changes.add(encode(change)));
                line(out, node);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode segment " + segment.name(), e);
        }
        return bytes.toByteArray();
    }

    public static Segment decode(byte[] bytes, String where) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(new ByteArrayInputStream(bytes)), StandardCharsets.UTF_8))) {
            String first = in.readLine();
            JsonNode header = first == null ? NODES.objectNode() : JSON.readTree(first);
            if (!Segment.FORMAT.equals(header.path("format").asText())) {
                throw new IllegalArgumentException(where + " is no " + Segment.FORMAT + " segment (format \""
                        + header.path("format").asText() + "\")");
            }
            Map<Integer, RelationDef> relations = new LinkedHashMap<>();
            List<CommittedTransaction> transactions = new ArrayList<>();
            for (String text; (text = in.readLine()) != null; ) {
                JsonNode node = JSON.readTree(text);
                if (node.has("relation")) {
                    RelationDef relation = new RelationDef(
                            node.path("relation").asInt(),
                            node.path("schema").asText(),
                            node.path("table").asText(),
                            strings(node.path("columns")),
                            ints(node.path("types")),
                            ints(node.path("key")));
                    relations.put(relation.oid(), relation);
                } else {
                    List<Change> changes = new ArrayList<>();
                    node.path("changes").forEach(change -> changes.add(decodeChange(change)));
                    transactions.add(new CommittedTransaction(
                            node.path("xid").asLong(),
                            LogSequenceNumber.valueOf(node.path("commit").asText()),
                            LogSequenceNumber.valueOf(node.path("end").asText()),
                            Instant.parse(node.path("at").asText()),
                            changes));
                }
            }
            if (transactions.size() != header.path("transactions").asInt(-1)) {
                throw new IllegalArgumentException(where + " is cut short: its header promises "
                        + header.path("transactions").asInt() + " transactions, it holds " + transactions.size());
            }
            return new Segment(
                    header.path("slot").asText(),
                    LogSequenceNumber.valueOf(header.path("previousEnd").asText()),
                    LogSequenceNumber.valueOf(header.path("end").asText()),
                    Instant.parse(header.path("cutAt").asText()),
                    Optional.ofNullable(header.get("marker")).map(JsonNode::asText),
                    relations,
                    transactions);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read segment " + where, e);
        }
    }

    private static ArrayNode encode(Change change) {
        ArrayNode node = NODES.arrayNode();
        if (change instanceof Change.Insert insert) {
            node.add("I").add(insert.relation()).add(values(insert.values()));
        } else if (change instanceof Change.Update update) {
            node.add("U").add(update.relation());
            if (update.oldKey() == null) {
                node.addNull();
            } else {
                node.add(values(update.oldKey()));
            }
            node.add(values(update.values()));
            ArrayNode unchanged = node.addArray();
            update.unchanged().forEach(unchanged::add);
        } else if (change instanceof Change.Delete delete) {
            node.add("D").add(delete.relation()).add(values(delete.key()));
        } else if (change instanceof Change.Truncate truncate) {
            node.add("T");
            ArrayNode relations = node.addArray();
            truncate.relations().forEach(relations::add);
            node.add(truncate.cascade()).add(truncate.restartIdentity());
        }
        return node;
    }

    private static Change decodeChange(JsonNode node) {
        return switch (node.get(0).asText()) {
            case "I" -> new Change.Insert(node.get(1).asInt(), nullableStrings(node.get(2)));
            case "U" ->
                new Change.Update(
                        node.get(1).asInt(),
                        node.get(2).isNull() ? null : nullableStrings(node.get(2)),
                        nullableStrings(node.get(3)),
                        ints(node.get(4)));
            case "D" -> new Change.Delete(node.get(1).asInt(), nullableStrings(node.get(2)));
            case "T" ->
                new Change.Truncate(
                        ints(node.get(1)), node.get(2).asBoolean(), node.get(3).asBoolean());
            default -> throw new IllegalArgumentException("unknown change kind " + node.get(0));
        };
    }

    private static ArrayNode values(List<String> values) {
        ArrayNode array = NODES.arrayNode();
        for (String value : values) {
            if (value == null) {
                array.addNull();
            } else {
                array.add(value);
            }
        }
        return array;
    }

    private static List<String> nullableStrings(JsonNode array) {
        List<String> values = new ArrayList<>(array.size());
        array.forEach(value -> values.add(value.isNull() ? null : value.asText()));
        return values;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>(array.size());
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> values = new ArrayList<>(array.size());
        array.forEach(value -> values.add(value.asInt()));
        return values;
    }

    private static void line(Writer out, JsonNode node) throws IOException {
        out.write(JSON.writeValueAsString(node));
        out.write('\n');
    }
}
