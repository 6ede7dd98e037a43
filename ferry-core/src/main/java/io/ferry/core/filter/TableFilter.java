package io.ferry.core.filter;

import io.ferry.core.schema.TableSchema;

/**
 * Which tables of the databases a config selects take part in a run, decided on each table's source schema (e.g.
 * "has a {@code shop_id} column"). A table left out is neither created, copied, replicated nor verified.
 */
@FunctionalInterface
public interface TableFilter {
    /** Every selected table takes part. */
    TableFilter ALL = table -> true;

    boolean includes(TableSchema table);

    /** How {@code table} takes part, or why it does not, for a dry run's plan; empty to say nothing. */
    default String describe(TableSchema table) {
        return includes(table) ? "" : "left out by the table filter";
    }
}
