package dev.ferry.follow;

import dev.ferry.core.StepFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.IntFunction;

/**
 * An Onyx upgrade on the source during the follow. Onyx's pods run {@code alembic upgrade head} when they start, so a
 * pod restarted onto a newer image migrates the schema (DDL, which logical decoding does not carry) and records the new
 * revision in {@code alembic_version}, in one transaction. That row change is what a follow sees of it: capture
 * refuses the transaction that holds it, naming the revisions, before any of it is stored. Without it, an upgrade that
 * altered no followed table would only surface at the cutover's proof, and one that did would be named as a relation.
 */
final class AlembicUpgrade {

    /** The table alembic records a schema's revision in, in every schema it migrates (Onyx's tenants have their own). */
    static final String TABLE = "alembic_version";

    private AlembicUpgrade() {}

    /** The refusal of {@code transaction} when it changes an {@code alembic_version} table; none otherwise. */
    static Optional<StepFailure> refusalOf(CommittedTransaction transaction, IntFunction<RelationDef> relations) {
        String table = null;
        List<String> before = new ArrayList<>();
        List<String> after = new ArrayList<>();
        for (Change change : transaction.changes()) {
            if (change instanceof Change.Truncate) {
                continue;
            }
            RelationDef relation = relations.apply(change.relation());
            if (!TABLE.equals(relation.table())) {
                continue;
            }
            table = relation.qualifiedName();
            if (change instanceof Change.Insert insert) {
                after.addAll(SegmentApplier.keyOf(relation, insert.values()));
            } else if (change instanceof Change.Update update) {
                if (update.oldKey() != null) {
                    before.addAll(update.oldKey());
                }
                after.addAll(SegmentApplier.keyOf(relation, update.values()));
            } else if (change instanceof Change.Delete delete) {
                before.addAll(delete.key());
            }
        }
        if (table == null) {
            return Optional.empty();
        }
        return Optional.of(StepFailure.refused("Onyx was upgraded on the source during the follow: the transaction"
                + " committed at " + transaction.commit().asString() + " changed " + table + " from "
                + new TreeSet<>(before) + " to " + new TreeSet<>(after)
                + " (alembic upgrade head, which Onyx's pods run"
                + " when they start); a follow carries rows, not the schema changes of an upgrade, so capture stores"
                + " none of it and cannot go past it. Abandon this follow and start it again from a new base copy, and"
                + " keep Onyx's image unchanged until the cutover"));
    }
}
