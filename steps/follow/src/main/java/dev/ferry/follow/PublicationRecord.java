package dev.ferry.follow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a follow changed on the source, kept on the source itself as the comment of the follow's publication: the
 * replica identities to put back. The comment is written in the transaction that sets them and creates the
 * publication, so whoever ends the follow (cutover, abandon, the guard) can undo exactly that with nothing but a
 * connection to the source: no bucket, no workspace, no earlier run's memory.
 */
public final class PublicationRecord {

    /** The comment's format; a publication whose comment does not start with it was not made by Ferry. */
    public static final String FORMAT = "ferry-follow-publication/1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private PublicationRecord() {}

    /** Writes the record as the publication's comment; call it in the transaction that creates the publication. */
    public static void write(Connection source, String publication, List<ReplicaIdentities.Changed> changed)
            throws SQLException {
        try (Statement sql = source.createStatement()) {
            sql.execute("COMMENT ON PUBLICATION " + Identifiers.quote(publication) + " IS "
                    + Identifiers.literal(encode(changed)));
        }
    }

    /**
     * The record of {@code publication}: empty when the publication does not exist; the changed replica identities
     * when it does (none when it carries no Ferry record, so nothing is put back that Ferry did not set).
     */
    public static Optional<List<ReplicaIdentities.Changed>> read(Connection source, String publication)
            throws SQLException {
        try (PreparedStatement sql = source.prepareStatement(
                "SELECT obj_description(oid, 'pg_publication')" + " FROM pg_publication WHERE pubname = ?")) {
            sql.setString(1, publication);
            try (ResultSet rs = sql.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(decode(rs.getString(1)));
            }
        }
    }

    static String encode(List<ReplicaIdentities.Changed> changed) {
        ObjectNode root = JSON.createObjectNode().put("format", FORMAT);
        ArrayNode identities = root.putArray("replicaIdentities");
        for (ReplicaIdentities.Changed c : changed) {
            identities
                    .addObject()
                    .put("table", c.table())
                    .put("index", c.index())
                    .put("before", c.before());
        }
        return root.toString();
    }

    static List<ReplicaIdentities.Changed> decode(String comment) {
        List<ReplicaIdentities.Changed> changed = new ArrayList<>();
        if (comment == null || comment.isBlank()) {
            return changed;
        }
        JsonNode root;
        try {
            root = JSON.readTree(comment);
        } catch (java.io.IOException e) {
            return changed;
        }
        if (!FORMAT.equals(root.path("format").asText())) {
            return changed;
        }
        for (JsonNode c : root.path("replicaIdentities")) {
            changed.add(new ReplicaIdentities.Changed(
                    c.path("table").asText(),
                    c.path("index").asText(),
                    c.path("before").asText()));
        }
        return changed;
    }
}
