package dev.ferry.follow;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL a change becomes on the target, by key: an insert that meets its row (a replay) updates it instead; an
 * update sets only the columns the source sent (unchanged TOAST stays as it is) on the row with the key's old values;
 * a delete of a row that is gone deletes nothing. Parameters are PostgreSQL's text forms, typed by the columns.
 */
final class StatementText {

    private StatementText() {}

    static String table(RelationDef relation) {
        return Identifiers.quote(relation.schema()) + "." + Identifiers.quote(relation.table());
    }

    static String of(RelationDef relation, Change change) {
        List<String> columns =
                relation.columns().stream().map(Identifiers::quote).toList();
        List<String> key = relation.key().stream().map(columns::get).toList();
        String where = key.stream().map(k -> k + " = ?").collect(Collectors.joining(" AND "));
        if (change instanceof Change.Insert) {
            List<String> rest = new ArrayList<>(columns);
            rest.removeAll(key);
            return "INSERT INTO " + table(relation) + " (" + String.join(", ", columns) + ") VALUES ("
                    + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ") ON CONFLICT ("
                    + String.join(", ", key) + ") DO "
                    + (rest.isEmpty()
                            ? "NOTHING"
                            : "UPDATE SET "
                                    + rest.stream()
                                            .map(c -> c + " = EXCLUDED." + c)
                                            .collect(Collectors.joining(", ")));
        }
        if (change instanceof Change.Update update) {
            List<String> set = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                if (!update.unchanged().contains(i)) {
                    set.add(columns.get(i) + " = ?");
                }
            }
            return "UPDATE " + table(relation) + " SET " + String.join(", ", set) + " WHERE " + where;
        }
        return "DELETE FROM " + table(relation) + " WHERE " + where;
    }
}
