package io.ferry.core.filter;

import io.ferry.core.TableId;
import java.util.Objects;

/**
 * The rows of one table a run copies and verifies, as the server selects them: a SQL condition on the table's own
 * columns, unqualified (e.g. {@code `shop_id` = 5}), that the batch read adds to its key range, so the server still
 * orders and pages by the table's key. Rows of other tables are reached through subqueries
 * ({@code `id` IN (SELECT `post_id` FROM `db`.`posts` WHERE `shop_id` = 5)}) rather than joins, so that a row is
 * read once however many rows refer to it.
 *
 * @param condition the condition, or empty for every row
 * @param indexHint an index hint for reads on the source, e.g. {@code USE INDEX (`shop_id_id`)}, or empty (target
 *                  reads go without it: the target's indexes may be named otherwise)
 */
public record RowSelection(String condition, String indexHint) {
    /** Every row, no hint. */
    public static final RowSelection ALL = new RowSelection("", "");

    public RowSelection {
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(indexHint, "indexHint");
        condition = condition.strip();
        indexHint = indexHint.strip();
    }

    /** The rows {@code condition} selects, without a hint. */
    public static RowSelection where(String condition) {
        return new RowSelection(condition, "");
    }

    /** {@code `db`.`t` [hint] [WHERE (condition)]}: what follows {@code FROM} in a statement over these rows. */
    public String on(TableId table) {
        return table.sql() + (indexHint.isEmpty() ? "" : " " + indexHint)
                + (selectsAll() ? "" : " WHERE (" + condition + ")");
    }

    public boolean selectsAll() {
        return condition.isEmpty();
    }

    /** This selection read through {@code hint}. */
    public RowSelection withIndexHint(String hint) {
        return new RowSelection(condition, hint);
    }
}
