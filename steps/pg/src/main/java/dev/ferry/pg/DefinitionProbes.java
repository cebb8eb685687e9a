package dev.ferry.pg;

import dev.ferry.core.manifest.Inventory.SchemaObject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Lets the target's own parser decide whether a schema object's definition, printed differently by the source's
 * PostgreSQL major, is the same definition: the source's print is created again on the target, inside a transaction
 * that is always rolled back, and what the target prints for it is compared with what it prints for the restored
 * object. Never on a real table: an index, constraint, trigger, default, generated column or policy goes on an empty
 * copy of its table ({@code CREATE TABLE … (LIKE …)} in the same schema; a foreign key on the copy references the
 * real table, which an empty copy needs no scan of), a domain constraint on a new domain over the same base type,
 * a view or materialized view ({@code WITH NO DATA}) under a new name; a function is replaced in place. The probe's
 * own names are then mapped back to the real ones where the print names them (indexes and triggers name their
 * table). Short lock and statement timeouts keep a probe from waiting on a busy server; a probe that fails says why.
 */
public final class DefinitionProbes {

    /** What the target made of the source's definition of one object: the same as the restored one, or not. */
    public record Outcome(String label, boolean same, String failure) {

        static Outcome same(String label) {
            return new Outcome(label, true, null);
        }

        static Outcome different(String label) {
            return new Outcome(label, false, null);
        }

        static Outcome failed(String label, String failure) {
            return new Outcome(label, false, failure);
        }
    }

    static final String LOCK_TIMEOUT = "5s";
    static final String STATEMENT_TIMEOUT = "30s";
    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_$]*");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Connection connection;
    private final Map<String, Map<String, Located>> located = new HashMap<>();

    private DefinitionProbes(Connection connection) {
        this.connection = connection;
    }

    /** Where an object is on the target: the table, domain, view or function it belongs to, and its own name. */
    private record Located(long object, String detail, String quotedDetail) {}

    /**
     * Probes each of {@code sources} (objects with their source's print) against its namesake in {@code targets} on
     * the target {@code connection}, which is left with its settings changed: give it one of its own.
     */
    public static Map<String, Outcome> probe(
            Connection connection, List<SchemaObject> sources, Map<String, SchemaObject> targets) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement sql = connection.createStatement()) {
            // As SchemaObjects read both ends: every name qualified alike.
            sql.execute("SET search_path = ''");
            sql.execute("SET lock_timeout = '" + LOCK_TIMEOUT + "'");
            sql.execute("SET statement_timeout = '" + STATEMENT_TIMEOUT + "'");
            connection.commit();
        }
        DefinitionProbes probes = new DefinitionProbes(connection);
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (SchemaObject source : sources) {
            SchemaObject target = targets.get(source.label());
            outcomes.put(source.label(), probes.probe(source, target));
        }
        return outcomes;
    }

    private Outcome probe(SchemaObject source, SchemaObject target) throws SQLException {
        String label = source.label();
        try {
            Located at = locate(source);
            if (at == null || target == null || target.definition() == null || source.definition() == null) {
                return Outcome.failed(label, "not found on the target to compare with");
            }
            String reprint = reprint(source, at);
            return reprint.equals(target.definition()) ? Outcome.same(label) : Outcome.different(label);
        } catch (SQLException e) {
            return Outcome.failed(label, oneLine(e));
        } finally {
            connection.rollback();
        }
    }

    /** The target's print of the source's definition, under the restored object's own names. */
    private String reprint(SchemaObject source, Located at) throws SQLException {
        String definition = source.definition();
        return switch (source.kind()) {
            case "index" -> index(definition, at);
            case "constraint" -> {
                Table table = copyOf(at.object());
                String name = probeName("c");
                execute("ALTER TABLE " + table.probe() + " ADD CONSTRAINT " + name + " " + definition);
                yield single(
                        "SELECT pg_get_constraintdef(k.oid) FROM pg_constraint k"
                                + " WHERE k.conrelid = ?::regclass AND k.conname = ?",
                        table.probe(),
                        name);
            }
            case "trigger" -> trigger(definition, at);
            case "default" -> {
                Table table = copyOf(at.object());
                execute("ALTER TABLE " + table.probe() + " ALTER COLUMN " + at.quotedDetail() + " SET DEFAULT "
                        + definition);
                yield single(
                        "SELECT pg_get_expr(ad.adbin, ad.adrelid) FROM pg_attrdef ad JOIN pg_attribute a"
                                + " ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum"
                                + " WHERE ad.adrelid = ?::regclass AND a.attname = ?",
                        table.probe(),
                        at.detail());
            }
            case "generated column" -> {
                Table table = copyOf(at.object());
                String type = single(
                        "SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
                                + " WHERE a.attrelid = ?::oid AND a.attname = ?",
                        Long.toString(at.object()),
                        at.detail());
                String column = probeName("g");
                execute("ALTER TABLE " + table.probe() + " ADD COLUMN " + column + " " + type + " " + definition);
                yield single(
                        "SELECT " + SchemaObjects.GENERATED_COLUMN + " FROM pg_attrdef ad JOIN pg_attribute a"
                                + " ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum"
                                + " WHERE ad.adrelid = ?::regclass AND a.attname = ?",
                        table.probe(),
                        column);
            }
            case "policy" -> {
                Table table = copyOf(at.object());
                execute("CREATE POLICY " + at.quotedDetail() + " ON " + table.probe() + " " + definition);
                yield single(
                        "SELECT " + SchemaObjects.POLICY
                                + " FROM pg_policy pol WHERE pol.polrelid = ?::regclass AND pol.polname = ?",
                        table.probe(),
                        at.detail());
            }
            case "domain constraint" -> {
                List<String> domain = row(
                        "SELECT quote_ident(n.nspname), format_type(t.typbasetype, t.typtypmod)"
                                + " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.oid = ?::oid",
                        Long.toString(at.object()));
                String probe = domain.get(0) + "." + probeName("d");
                execute("CREATE DOMAIN " + probe + " AS " + domain.get(1));
                execute("ALTER DOMAIN " + probe + " ADD CONSTRAINT " + at.quotedDetail() + " " + definition);
                yield single(
                        "SELECT pg_get_constraintdef(k.oid) FROM pg_constraint k"
                                + " WHERE k.contypid = ?::regtype AND k.conname = ?",
                        probe,
                        at.detail());
            }
            case "view", "materialized view" -> {
                boolean materialized = source.kind().equals("materialized view");
                String probe = at.quotedDetail() + "." + probeName("v");
                String query = definition.strip();
                if (query.endsWith(";")) {
                    query = query.substring(0, query.length() - 1);
                }
                execute("CREATE " + (materialized ? "MATERIALIZED VIEW " : "VIEW ") + probe + " AS " + query
                        + (materialized ? " WITH NO DATA" : ""));
                yield single("SELECT pg_get_viewdef(?::regclass)", probe);
            }
            case "function", "sql function" -> {
                // pg_get_functiondef prints CREATE OR REPLACE: the same function, replaced until the rollback.
                execute(definition);
                yield single("SELECT pg_get_functiondef(?::oid)", Long.toString(at.object()));
            }
            default -> throw new IllegalArgumentException("no probe for " + source.kind());
        };
    }

    /** {@code CREATE [UNIQUE] INDEX name ON [ONLY] table USING …}: the same on the copy, under a probe name. */
    private String index(String definition, Located at) throws SQLException {
        Table table = copyOf(at.object());
        for (String printed : table.printedNames()) {
            for (String only : List.of("", "ONLY ")) {
                String on = " ON " + only + printed + " USING ";
                int at0 = definition.indexOf(on);
                if (at0 < 0) {
                    continue;
                }
                String create =
                        definition.startsWith("CREATE UNIQUE INDEX ") ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
                String index = probeName("i");
                execute(create + index + " ON " + only + table.probe() + " USING "
                        + definition.substring(at0 + on.length()));
                String print = single("SELECT pg_get_indexdef(?::regclass)", table.schema() + "." + index);
                return print.replace("INDEX " + index + " ON ", "INDEX " + at.quotedDetail() + " ON ")
                        .replace(table.probe(), table.qualified());
            }
        }
        throw new SQLException("the source's definition does not name its table " + table.qualified());
    }

    /** {@code CREATE [CONSTRAINT] TRIGGER name … ON table …}: the same name on the copy. */
    private String trigger(String definition, Located at) throws SQLException {
        Table table = copyOf(at.object());
        for (String printed : table.printedNames()) {
            String on = " ON " + printed + " ";
            int at0 = definition.indexOf(on);
            if (at0 < 0) {
                continue;
            }
            execute(definition.substring(0, at0) + " ON " + table.probe() + " "
                    + definition.substring(at0 + on.length()));
            String print = single(
                    "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t WHERE t.tgrelid = ?::regclass AND t.tgname = ?",
                    table.probe(),
                    at.detail());
            return print.replace(table.probe(), table.qualified());
        }
        throw new SQLException("the source's definition does not name its table " + table.qualified());
    }

    /**
     * A real table as the target prints it, and an empty copy of it in the same schema (partitioned alike, so that
     * an index prints {@code ON ONLY} as on the real one). {@code printedNames}: how the source may have printed the
     * real table's name: as the target quotes it, or quoted only where a name needs it by its letters alone (a word
     * that became a keyword in a later major is quoted by that major only), or always.
     */
    private record Table(String qualified, String schema, String probe, List<String> printedNames) {}

    private Table copyOf(long table) throws SQLException {
        List<String> row = row(
                "SELECT format('%I.%I', n.nspname, c.relname), quote_ident(n.nspname), n.nspname, c.relname,"
                        + " CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END"
                        + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = ?::oid",
                Long.toString(table));
        String probe = row.get(1) + "." + probeName("t");
        execute("CREATE TABLE " + probe + " (LIKE " + row.get(0) + ")"
                + (row.get(4) == null ? "" : " PARTITION BY " + row.get(4)));
        Set<String> printed = new LinkedHashSet<>();
        printed.add(row.get(0));
        printed.add(plain(row.get(2)) + "." + plain(row.get(3)));
        printed.add(PgIdentifiers.qualified(row.get(2), row.get(3)));
        return new Table(row.get(0), row.get(1), probe, List.copyOf(printed));
    }

    private static String plain(String identifier) {
        return PLAIN_IDENTIFIER.matcher(identifier).matches() ? identifier : PgIdentifiers.quote(identifier);
    }

    /** Finds the object on the target by the name SchemaObjects gave it (one query per kind, kept). */
    private Located locate(SchemaObject source) throws SQLException {
        Map<String, Located> ofKind = located.get(source.kind());
        if (ofKind == null) {
            ofKind = new HashMap<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT q.name, q.object, q.detail, quote_ident(q.detail) FROM (" + kindQuery(source.kind())
                            + ") q(kind, name, definition, object, detail) WHERE q.kind = ?")) {
                query.setString(1, source.kind());
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        ofKind.putIfAbsent(
                                rs.getString(1), new Located(rs.getLong(2), rs.getString(3), rs.getString(4)));
                    }
                }
            }
            located.put(source.kind(), ofKind);
        }
        return ofKind.get(source.name());
    }

    private String kindQuery(String kind) throws SQLException {
        return switch (kind) {
            case "index" -> SchemaObjects.INDEXES;
            case "constraint" -> SchemaObjects.CONSTRAINTS;
            case "trigger" -> SchemaObjects.TRIGGERS;
            case "default" -> SchemaObjects.DEFAULTS;
            case "generated column" -> SchemaObjects.GENERATED_COLUMNS;
            case "policy" -> SchemaObjects.POLICIES;
            case "domain constraint" -> SchemaObjects.DOMAIN_CONSTRAINTS;
            case "view", "materialized view" -> SchemaObjects.VIEWS;
            case "function", "sql function" ->
                SchemaObjects.functions(connection.getMetaData().getDatabaseMajorVersion());
            default -> throw new IllegalArgumentException("no probe for " + kind);
        };
    }

    /** A name no real object has: the print maps it back by plain text replacement. */
    private static String probeName(String what) {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return "ferry_probe_" + what + "_" + HexFormat.of().formatHex(bytes);
    }

    /**
     * Runs {@code statement} as the server parses it, through PL/pgSQL's EXECUTE: the JDBC driver would split a
     * {@code BEGIN ATOMIC} body at its inner semicolons and rewrite JDBC escapes ({@code {fn …}}) in any print.
     */
    private void execute(String statement) throws SQLException {
        String tag = "$" + probeName("q") + "$";
        try (Statement sql = connection.createStatement()) {
            sql.setEscapeProcessing(false);
            sql.execute("DO " + tag + "BEGIN EXECUTE " + quoteLiteral(statement) + "; END" + tag);
        }
    }

    /** A string literal of {@code text} in PL/pgSQL, dollar-quoted by a tag the text does not hold. */
    private static String quoteLiteral(String text) {
        String tag;
        do {
            tag = "$" + probeName("s") + "$";
        } while (text.contains(tag));
        return tag + text + tag;
    }

    private String single(String query, String... parameters) throws SQLException {
        return row(query, parameters).get(0);
    }

    private List<String> row(String query, String... parameters) throws SQLException {
        try (PreparedStatement sql = connection.prepareStatement(query)) {
            for (int i = 0; i < parameters.length; i++) {
                sql.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = sql.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("the probe is not in the catalog");
                }
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    values.add(rs.getString(i));
                }
                return values;
            }
        }
    }

    /** The server's message on one line, without libpq's {@code ERROR: } and position. */
    static String oneLine(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        String line = (newline < 0 ? message : message.substring(0, newline)).strip();
        return line.startsWith("ERROR: ") ? line.substring("ERROR: ".length()) : line;
    }
}
