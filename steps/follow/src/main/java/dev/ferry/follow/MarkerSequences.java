package dev.ferry.follow;

import dev.ferry.core.StepFailure;
import dev.ferry.core.manifest.Inventory.SequenceValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Sets the target's sequences to the values the drain marker carries, inside the marker segment's transaction, so the
 * target's next {@code nextval} continues where the frozen source stopped. Logical decoding carries no sequence: this
 * is the only way their values reach the target.
 */
final class MarkerSequences {

    private MarkerSequences() {}

    static void set(Connection target, List<SequenceValue> sequences, String segment) throws SQLException {
        for (SequenceValue sequence : sequences) {
            String name = Identifiers.quote(sequence.schema()) + "." + Identifiers.quote(sequence.name());
            try (PreparedStatement exists = target.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                exists.setString(1, name);
                try (ResultSet rs = exists.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        throw StepFailure.verificationFailed("sequence " + sequence.qualifiedName() + " that the drain"
                                + " marker in segment " + segment + " carries does not exist on the target: the"
                                + " target's schema differs from the source's; the marker segment is not applied");
                    }
                }
            }
            if (sequence.lastValue() == null) {
                // Never called on the source: the next nextval gives its start value, on the target too.
                try (Statement sql = target.createStatement()) {
                    sql.execute("ALTER SEQUENCE " + name + " RESTART");
                }
            } else {
                try (PreparedStatement sql = target.prepareStatement("SELECT setval(?::regclass, ?, true)")) {
                    sql.setString(1, name);
                    sql.setLong(2, sequence.lastValue());
                    sql.execute();
                }
            }
        }
    }
}
