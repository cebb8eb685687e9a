package dev.ferry.follow;

import java.util.Collections;
import java.util.List;

/**
 * One row change of a committed transaction, as decoded from pgoutput. Values are PostgreSQL's text form, or null
 * for SQL NULL; a column whose TOASTed value did not change is not sent by the source, and an update lists it in
 * {@link Update#unchanged()} so the target leaves it alone.
 */
public sealed interface Change {

    int relation();

    /** A new row: every column pgoutput sends, in the relation's column order. */
    record Insert(int relation, List<String> values) implements Change {
        public Insert {
            values = Collections.unmodifiableList(values);
        }
    }

    /**
     * A changed row. {@code oldKey} holds the key's old values (in key order) when the key itself changed, else null
     * (the key is then the new row's). {@code values} is the new row, with null at the unchanged columns.
     */
    record Update(int relation, List<String> oldKey, List<String> values, List<Integer> unchanged) implements Change {
        public Update {
            oldKey = oldKey == null ? null : Collections.unmodifiableList(oldKey);
            values = Collections.unmodifiableList(values);
            unchanged = List.copyOf(unchanged);
        }
    }

    /** A removed row, by its key's values in key order. */
    record Delete(int relation, List<String> key) implements Change {
        public Delete {
            key = Collections.unmodifiableList(key);
        }
    }

    /** A TRUNCATE of one or more tables. */
    record Truncate(List<Integer> relations, boolean cascade, boolean restartIdentity) implements Change {
        public Truncate {
            relations = List.copyOf(relations);
        }

        @Override
        public int relation() {
            return relations.get(0);
        }
    }
}
