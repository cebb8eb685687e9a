package dev.ferry.follow;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.replication.LogSequenceNumber;

/**
 * Reads pgoutput's protocol 1 messages (PostgreSQL's "Logical Replication Message Formats") into what capture keeps:
 * transaction boundaries, relation definitions, row changes in text form, and logical decoding messages (the drain
 * marker). It remembers the relations the stream described, since a row change names its table only by OID.
 */
public final class PgOutputDecoder {

    /** PostgreSQL counts timestamps in microseconds from 2000-01-01 UTC. */
    private static final long PG_EPOCH_SECONDS = 946_684_800L;

    private final Map<Integer, RelationDef> relations = new HashMap<>();

    /** What one message said. */
    public sealed interface Message {}

    public record Begin(LogSequenceNumber finalLsn, Instant committedAt, long xid) implements Message {}

    public record Commit(LogSequenceNumber commit, LogSequenceNumber end, Instant committedAt) implements Message {}

    public record Relation(RelationDef definition) implements Message {}

    public record Row(Change change) implements Message {}

    /** A message written with {@code pg_logical_emit_message}: the cutover's drain marker travels as one. */
    public record LogicalMessage(boolean transactional, LogSequenceNumber lsn, String prefix, String content)
            implements Message {}

    /** Origin and type messages: nothing a segment needs. */
    public record Ignored(char type) implements Message {}

    public RelationDef relation(int oid) {
        RelationDef relation = relations.get(oid);
        if (relation == null) {
            throw new IllegalStateException("pgoutput sent a change of relation " + oid + " before describing it");
        }
        return relation;
    }

    public Message decode(ByteBuffer buffer) {
        char type = (char) buffer.get();
        return switch (type) {
            case 'B' -> new Begin(lsn(buffer), timestamp(buffer.getLong()), Integer.toUnsignedLong(buffer.getInt()));
            case 'C' -> {
                buffer.get(); // flags, unused
                yield new Commit(lsn(buffer), lsn(buffer), timestamp(buffer.getLong()));
            }
            case 'R' -> {
                RelationDef definition = relationMessage(buffer);
                relations.put(definition.oid(), definition);
                yield new Relation(definition);
            }
            case 'I' -> {
                int oid = buffer.getInt();
                expect(buffer, 'N');
                yield new Row(new Change.Insert(oid, tuple(buffer).values()));
            }
            case 'U' -> new Row(update(buffer));
            case 'D' -> new Row(delete(buffer));
            case 'T' -> new Row(truncate(buffer));
            case 'M' -> {
                boolean transactional = (buffer.get() & 1) != 0;
                LogSequenceNumber at = lsn(buffer);
                String prefix = string(buffer);
                byte[] content = new byte[buffer.getInt()];
                buffer.get(content);
                yield new LogicalMessage(transactional, at, prefix, new String(content, StandardCharsets.UTF_8));
            }
            default -> new Ignored(type);
        };
    }

    private RelationDef relationMessage(ByteBuffer buffer) {
        int oid = buffer.getInt();
        String schema = string(buffer);
        String table = string(buffer);
        buffer.get(); // replica identity setting; the key flags below say which columns are in it
        int count = buffer.getShort();
        List<String> columns = new ArrayList<>(count);
        List<Integer> types = new ArrayList<>(count);
        List<Integer> key = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean inKey = (buffer.get() & 1) != 0;
            columns.add(string(buffer));
            types.add(buffer.getInt());
            buffer.getInt(); // type modifier
            if (inKey) {
                key.add(i);
            }
        }
        return new RelationDef(oid, schema, table, columns, types, key);
    }

    private Change.Update update(ByteBuffer buffer) {
        int oid = buffer.getInt();
        RelationDef relation = relation(oid);
        char kind = (char) buffer.get();
        List<String> oldKey = null;
        if (kind == 'K' || kind == 'O') {
            Tuple old = tuple(buffer);
            oldKey = keyOf(relation, old.values());
            kind = (char) buffer.get();
        }
        if (kind != 'N') {
            throw new IllegalStateException("pgoutput update of " + relation.qualifiedName() + " without a new row");
        }
        Tuple row = tuple(buffer);
        return new Change.Update(oid, oldKey, row.values(), row.unchanged());
    }

    private Change.Delete delete(ByteBuffer buffer) {
        int oid = buffer.getInt();
        char kind = (char) buffer.get();
        if (kind != 'K' && kind != 'O') {
            throw new IllegalStateException("pgoutput delete without the old key (" + kind + ")");
        }
        return new Change.Delete(oid, keyOf(relation(oid), tuple(buffer).values()));
    }

    private static Change.Truncate truncate(ByteBuffer buffer) {
        int count = buffer.getInt();
        int options = buffer.get();
        List<Integer> oids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            oids.add(buffer.getInt());
        }
        return new Change.Truncate(oids, (options & 1) != 0, (options & 2) != 0);
    }

    private static List<String> keyOf(RelationDef relation, List<String> row) {
        List<String> key = new ArrayList<>(relation.key().size());
        for (int column : relation.key()) {
            key.add(row.get(column));
        }
        return key;
    }

    /** A row: each column null, unchanged TOAST, or text. */
    private record Tuple(List<String> values, List<Integer> unchanged) {}

    private static Tuple tuple(ByteBuffer buffer) {
        int count = buffer.getShort();
        String[] values = new String[count];
        List<Integer> unchanged = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            char kind = (char) buffer.get();
            switch (kind) {
                case 'n' -> values[i] = null;
                case 'u' -> unchanged.add(i);
                case 't' -> {
                    byte[] text = new byte[buffer.getInt()];
                    buffer.get(text);
                    values[i] = new String(text, StandardCharsets.UTF_8);
                }
                default -> throw new IllegalStateException("pgoutput column kind '" + kind + "' (binary mode is off)");
            }
        }
        return new Tuple(Arrays.asList(values), unchanged);
    }

    private static void expect(ByteBuffer buffer, char kind) {
        char got = (char) buffer.get();
        if (got != kind) {
            throw new IllegalStateException("pgoutput sent '" + got + "' where '" + kind + "' belongs");
        }
    }

    private static LogSequenceNumber lsn(ByteBuffer buffer) {
        return LogSequenceNumber.valueOf(buffer.getLong());
    }

    private static Instant timestamp(long micros) {
        return Instant.ofEpochSecond(
                PG_EPOCH_SECONDS + Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    private static String string(ByteBuffer buffer) {
        int start = buffer.position();
        int end = start;
        while (buffer.get(end) != 0) {
            end++;
        }
        String text = new String(buffer.array(), buffer.arrayOffset() + start, end - start, StandardCharsets.UTF_8);
        buffer.position(end + 1);
        return text;
    }
}
